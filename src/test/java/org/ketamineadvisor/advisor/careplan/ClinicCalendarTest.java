package org.ketamineadvisor.advisor.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The clinic's infusion days (CLINICAL-RULES § 5): weekdays, closures, follow-ups moved to an open day. */
class ClinicCalendarTest {
  private static final ClinicCalendar WEEKDAYS = SiteSettings.defaults().calendar();
  private static final LocalDate FRIDAY = LocalDate.of(2026, 12, 18);

  @Test
  void weekendsAreNotInfusionDaysUnderTheDefaults() {
    assertThat(WEEKDAYS.isInfusionDay(FRIDAY)).isTrue();
    assertThat(WEEKDAYS.isInfusionDay(FRIDAY.plusDays(1))).isFalse();
    assertThat(WEEKDAYS.isInfusionDay(FRIDAY.plusDays(2))).isFalse();
    assertThat(WEEKDAYS.after(FRIDAY)).isEqualTo(FRIDAY.plusDays(3));
    assertThat(WEEKDAYS.onOrAfter(FRIDAY)).isEqualTo(FRIDAY);
  }

  @Test
  void sessionsSkipWeekendsAndClosures() {
    ClinicCalendar christmas = new ClinicCalendar(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        Set.of(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 31),
            LocalDate.of(2027, 1, 1)));
    assertThat(christmas.sessions(LocalDate.of(2026, 12, 21), 7)).containsExactly(LocalDate.of(2026, 12, 21),
        LocalDate.of(2026, 12, 22), LocalDate.of(2026, 12, 23), LocalDate.of(2026, 12, 28), LocalDate.of(2026, 12, 29),
        LocalDate.of(2026, 12, 30), LocalDate.of(2027, 1, 4));
  }

  @Test
  void aStartOnAClosedDayMovesToTheNextInfusionDay() {
    assertThat(WEEKDAYS.sessions(FRIDAY.plusDays(1), 2)).containsExactly(FRIDAY.plusDays(3), FRIDAY.plusDays(4));
  }

  @Test
  void followUpsMoveFromAClosedDayToTheNextInfusionDay() {
    // one week after Friday 2026-12-18 is Christmas Day, closed: the follow-up moves to Monday 2026-12-28
    ClinicCalendar closed = new ClinicCalendar(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        Set.of(LocalDate.of(2026, 12, 25)));
    assertThat(closed.followUp(FRIDAY, 1)).isEqualTo(LocalDate.of(2026, 12, 28));
    assertThat(closed.followUp(FRIDAY, 4)).isEqualTo(LocalDate.of(2027, 1, 15));
    // a clinic open on Tuesdays and Thursdays only
    ClinicCalendar twice = new ClinicCalendar(EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), Set.of());
    assertThat(twice.followUp(FRIDAY, 1)).isEqualTo(LocalDate.of(2026, 12, 29));
  }

  @Test
  void gapsNameTheCalendarDaysWithoutASession() {
    assertThat(ClinicCalendar.gaps(WEEKDAYS.sessions(LocalDate.of(2026, 12, 17), 3)))
        .containsExactly(LocalDate.of(2026, 12, 19), LocalDate.of(2026, 12, 20));
    assertThat(ClinicCalendar.gaps(WEEKDAYS.sessions(LocalDate.of(2026, 12, 14), 5))).isEmpty();
  }

  @Test
  void aCalendarWithoutInfusionDaysIsRefused() {
    assertThatThrownBy(() -> new ClinicCalendar(Set.of(), Set.of())).hasMessageContaining("at least one infusion weekday");
  }
}
