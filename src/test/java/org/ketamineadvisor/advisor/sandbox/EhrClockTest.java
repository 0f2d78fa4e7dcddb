package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The sandbox EHR's date and time: starts on the seeds' day at the time of day, is set, runs on; tokens stay. */
class EhrClockTest {

  private static final LocalDate SEEDS_DAY = LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF);

  @Test
  void itStartsOnTheSeedsDayAtTheCurrentTimeOfDayAndTicks() {
    MovableClock real = new MovableClock();
    Instant before = real.instant();
    EhrClock ehr = EhrClock.startingOn(SEEDS_DAY, real);

    Instant now = ehr.instant();
    assertThat(LocalDate.ofInstant(now, EhrClock.ZONE)).isIn(SEEDS_DAY, SEEDS_DAY.plusDays(1));
    // across midnight too: the EHR's time of day is real time's, a few seconds on
    assertThat(Math.floorMod(seconds(now) - seconds(before), 86_400L)).as("the time of day of real time")
        .isBetween(0L, 5L);
    real.advance(Duration.ofMinutes(5));
    assertThat(ehr.instant()).as("it runs on with real time").isAfterOrEqualTo(now.plus(Duration.ofMinutes(5)));
  }

  @Test
  void setOrMovedItRunsOnFromThereAndRealTimeStays() {
    MovableClock real = new MovableClock();
    EhrClock ehr = EhrClock.startingOn(SEEDS_DAY, real);

    ehr.set(Instant.parse("2026-06-02T08:30:00Z"));
    assertThat(ehr.instant()).isBetween(Instant.parse("2026-06-02T08:30:00Z"), Instant.parse("2026-06-02T08:31:00Z"));
    ehr.advance(Duration.ofDays(84));
    assertThat(ehr.instant()).isBetween(Instant.parse("2026-08-25T08:30:00Z"), Instant.parse("2026-08-25T08:31:00Z"));
    assertThat(real.instant()).as("real time (tokens) is not moved").isBefore(Instant.now().plusSeconds(5));
  }

  @Test
  void inAnotherZoneItIsTheSameClock() {
    EhrClock ehr = EhrClock.startingOn(SEEDS_DAY, new MovableClock());
    ZoneId chicago = ZoneId.of("America/Chicago");
    var inChicago = ehr.withZone(chicago);

    ehr.set(Instant.parse("2026-06-02T03:30:00Z"));

    assertThat(inChicago.getZone()).isEqualTo(chicago);
    assertThat(LocalDate.now(inChicago)).as("22:30 on 1 June in Chicago").isEqualTo(LocalDate.of(2026, 6, 1));
    assertThat(LocalDate.now(ehr)).isEqualTo(LocalDate.of(2026, 6, 2));
  }

  private static long seconds(Instant instant) {
    return instant.getEpochSecond() % 86_400;
  }
}
