package org.ketamineadvisor.advisor.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** When an assessment happens: the clinic's calendar day, and a fixed date keeping the clock's time of day. */
class AssessmentMomentTest {

  private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
  /** 03:30 UTC on 2 June is still 1 June, 22:30, in Chicago. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-02T03:30:00Z"), ZoneOffset.UTC);

  @Test
  void todayIsTheClinicsCalendarDayNotTheServers() {
    assertThat(new AssessmentMoment(CLOCK, CHICAGO, null).today()).isEqualTo(LocalDate.of(2026, 6, 1));
    assertThat(new AssessmentMoment(CLOCK, ZoneOffset.UTC, null).today()).isEqualTo(LocalDate.of(2026, 6, 2));
  }

  @Test
  void withoutAFixedDateTheCheckHappensNow() {
    AssessmentMoment moment = new AssessmentMoment(CLOCK, CHICAGO, null);
    assertThat(moment.now()).isEqualTo(CLOCK.instant());
    assertThat(moment.instant()).isEqualTo(CLOCK.instant());
  }

  @Test
  void aFixedDateKeepsTheClocksTimeOfDayInTheClinicsZoneAndSignaturesKeepTheRealInstant() {
    AssessmentMoment moment = new AssessmentMoment(CLOCK, CHICAGO, LocalDate.of(2026, 6, 1));
    assertThat(moment.today()).isEqualTo(LocalDate.of(2026, 6, 1));
    // 22:30 in Chicago (CDT, UTC-5) on the fixed date
    assertThat(moment.now()).isEqualTo(Instant.parse("2026-06-02T03:30:00Z"));
    AssessmentMoment earlier = new AssessmentMoment(CLOCK, CHICAGO, LocalDate.of(2026, 5, 20));
    assertThat(earlier.now()).isEqualTo(Instant.parse("2026-05-21T03:30:00Z"));
    assertThat(earlier.instant()).as("what really happened now").isEqualTo(CLOCK.instant());
  }
}
