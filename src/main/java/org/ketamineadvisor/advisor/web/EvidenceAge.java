package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;

/** How old a record is in the clinician's words ("12 days ago", "7 months ago") as of the assessment date. */
final class EvidenceAge {

  private EvidenceAge() {}

  static String of(LocalDate date, LocalDate asOf) {
    long days = ChronoUnit.DAYS.between(date, asOf);
    if (days < 0) {
      return "dated after the assessment date";
    }
    if (days == 0) {
      return "today";
    }
    if (days < 60) {
      return days == 1 ? "1 day ago" : days + " days ago";
    }
    Period period = Period.between(date, asOf);
    if (period.getYears() >= 2) {
      return period.getYears() + " years ago";
    }
    long months = period.toTotalMonths();
    return months + " months ago";
  }
}
