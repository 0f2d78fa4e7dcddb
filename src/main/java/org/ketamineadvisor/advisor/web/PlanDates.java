package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/** Dates as the page writes them: ISO, with the weekday where a clinic day matters ("Tue 2026-06-02"). */
final class PlanDates {
  private PlanDates() {}

  static String day(LocalDate date) {
    return date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + date;
  }

  static List<String> days(List<LocalDate> dates) {
    return dates.stream().map(PlanDates::day).toList();
  }
}
