package org.ketamineadvisor.advisor.careplan;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The clinic's infusion days (§ 5): the weekdays it gives infusions on, less its closure dates. Sessions fall one
 * a day on infusion days; a follow-up due on a closed day moves to the next infusion day.
 */
public record ClinicCalendar(Set<DayOfWeek> infusionDays, Set<LocalDate> closures) {

  /** Far enough for any closure list a site keeps; a calendar with no open day within it is refused. */
  private static final int MAX_DAYS_SEARCHED = 366 * 2;

  public ClinicCalendar {
    if (infusionDays == null || infusionDays.isEmpty()) {
      throw new IllegalArgumentException("a clinic calendar needs at least one infusion weekday");
    }
    infusionDays = Set.copyOf(infusionDays);
    closures = closures == null ? Set.of() : Set.copyOf(closures);
  }

  public boolean isInfusionDay(LocalDate date) {
    return infusionDays.contains(date.getDayOfWeek()) && !closures.contains(date);
  }

  /** {@code date} when it is an infusion day, else the next one. */
  public LocalDate onOrAfter(LocalDate date) {
    LocalDate d = date;
    for (int i = 0; i < MAX_DAYS_SEARCHED; i++, d = d.plusDays(1)) {
      if (isInfusionDay(d)) {
        return d;
      }
    }
    throw new IllegalStateException("the clinic has no infusion day within two years of " + date
        + ": check advisor.site.infusion-days and advisor.site.closures");
  }

  /** The first infusion day after {@code date} (the default start: the first infusion day after the assessment). */
  public LocalDate after(LocalDate date) {
    return onOrAfter(date.plusDays(1));
  }

  /** {@code count} sessions, one per infusion day, from {@code start} (moved to an infusion day if it is not one). */
  public List<LocalDate> sessions(LocalDate start, int count) {
    List<LocalDate> dates = new ArrayList<>(count);
    LocalDate d = onOrAfter(start);
    while (dates.size() < count) {
      dates.add(d);
      d = after(d);
    }
    return dates;
  }

  /** The follow-up {@code weeks} after {@code last}, moved to the next infusion day when that day is closed. */
  public LocalDate followUp(LocalDate last, int weeks) {
    return onOrAfter(last.plusWeeks(weeks));
  }

  /** The calendar days between the first and the last session on which no session falls (empty: consecutive). */
  public static List<LocalDate> gaps(List<LocalDate> sessions) {
    List<LocalDate> gaps = new ArrayList<>();
    for (int i = 1; i < sessions.size(); i++) {
      for (LocalDate d = sessions.get(i - 1).plusDays(1); d.isBefore(sessions.get(i)); d = d.plusDays(1)) {
        gaps.add(d);
      }
    }
    return gaps;
  }
}
