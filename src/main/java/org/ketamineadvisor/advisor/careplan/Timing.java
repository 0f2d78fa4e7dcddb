package org.ketamineadvisor.advisor.careplan;

import java.time.LocalDate;
import java.util.List;

/**
 * When a planned activity happens, relative to the sessions and on which calendar dates, so that a
 * CarePlan activity can carry it as a FHIR Timing (dates as events, a repeat for "every 15 minutes",
 * a minimum duration for "at least 60 minutes") and a person can read it ({@link #text()}).
 * {@code everyMinutes} is null for a continuous or one-off activity; {@code minimumMinutes} is null
 * when the activity has no minimum duration.
 */
public record Timing(When when, List<LocalDate> dates, Integer everyMinutes, Integer minimumMinutes,
    String text) {

  /** How the activity relates to the infusion sessions. */
  public enum When {
    /** Before the sessions on {@code dates}. */
    BEFORE_SESSION,
    /** While the infusion runs, on {@code dates}. */
    DURING_SESSION,
    /** Right after the sessions on {@code dates}. */
    AFTER_SESSION,
    /** On the given calendar dates, not tied to a session (e.g. follow-up visits). */
    ON_DATE,
    /** For the whole course, from the first to the last date. */
    THROUGHOUT_COURSE
  }

  public Timing {
    if (when == null || text == null || text.isBlank()) {
      throw new IllegalArgumentException("a timing needs its relation to the sessions and a text");
    }
    if (dates == null || dates.isEmpty()) {
      throw new IllegalArgumentException("a timing needs at least one date (" + text + ")");
    }
    dates = List.copyOf(dates);
    for (int i = 1; i < dates.size(); i++) {
      if (!dates.get(i).isAfter(dates.get(i - 1))) {
        throw new IllegalArgumentException("timing dates must be ascending and distinct: " + dates);
      }
    }
    if (everyMinutes != null && everyMinutes < 1 || minimumMinutes != null && minimumMinutes < 1) {
      throw new IllegalArgumentException("minutes must be positive (" + text + ")");
    }
  }

  public static Timing before(List<LocalDate> sessionDates, String text) {
    return new Timing(When.BEFORE_SESSION, sessionDates, null, null, text);
  }

  /** During the sessions: continuously when {@code everyMinutes} is null. */
  public static Timing during(List<LocalDate> sessionDates, Integer everyMinutes, String text) {
    return new Timing(When.DURING_SESSION, sessionDates, everyMinutes, null, text);
  }

  public static Timing after(List<LocalDate> sessionDates, Integer minimumMinutes, String text) {
    return new Timing(When.AFTER_SESSION, sessionDates, null, minimumMinutes, text);
  }

  public static Timing on(List<LocalDate> dates, String text) {
    return new Timing(When.ON_DATE, dates, null, null, text);
  }

  public static Timing throughout(LocalDate first, LocalDate last, String text) {
    return new Timing(When.THROUGHOUT_COURSE, first.equals(last) ? List.of(first) : List.of(first, last),
        null, null, text);
  }

  public LocalDate first() {
    return dates.get(0);
  }

  public LocalDate last() {
    return dates.get(dates.size() - 1);
  }
}
