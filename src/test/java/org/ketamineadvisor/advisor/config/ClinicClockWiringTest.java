package org.ketamineadvisor.advisor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.ClinicClock;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The two clocks of the running app: the clinic's clock decides "today" for every door, real time stays with what
 * must not follow it (tokens). A clinic clock twelve weeks ahead leaves the {@link Clock} bean alone.
 */
class ClinicClockWiringTest {

  private static final Instant REAL = Instant.parse("2026-06-01T09:00:00Z");
  private static final Instant TWELVE_WEEKS_ON = Instant.parse("2026-08-24T09:00:00Z");

  private final ApplicationContextRunner app = new ApplicationContextRunner()
      .withUserConfiguration(SharedConfig.class)
      .withBean("clock", Clock.class, () -> Clock.fixed(REAL, ZoneOffset.UTC));

  @Test
  void withoutAClinicClockTheClinicsDayIsRealTime() {
    app.run(context -> {
      assertThat(context.getBean(ClinicClock.class).clock().instant()).isEqualTo(REAL);
      assertThat(context.getBean(AssessmentMoment.class).today()).isEqualTo(LocalDate.of(2026, 6, 1));
    });
  }

  @Test
  void aSuppliedClinicClockMovesTheClinicsDayButNotRealTime() {
    app.withBean(ClinicClock.class, () -> new ClinicClock(Clock.fixed(TWELVE_WEEKS_ON, ZoneOffset.UTC)))
        .run(context -> {
          AssessmentMoment moment = context.getBean(AssessmentMoment.class);
          assertThat(moment.today()).isEqualTo(LocalDate.of(2026, 8, 24));
          assertThat(moment.now()).isEqualTo(TWELVE_WEEKS_ON);
          assertThat(context.getBean(Clock.class).instant()).as("tokens keep real time").isEqualTo(REAL);
        });
  }
}
