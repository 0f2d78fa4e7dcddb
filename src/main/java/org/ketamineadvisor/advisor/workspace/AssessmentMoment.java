package org.ketamineadvisor.advisor.workspace;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When an assessment happens, decided in one place for every door (the pages, CDS Hooks, the infusion-day check and
 * the command line): the clinic's clock's now ({@link ClinicClock}; the command line's clock), and today's date in
 * the clinic's time zone. A fixed date (demonstrations' {@code advisor.pages.as-of}, the command line's
 * {@code --as-of}) replaces the date, and the check's moment becomes that date at the clock's time of day, so that
 * readings of "this morning" stay within the infusion-day check's hours. The sandbox fixes no date: it moves the
 * clinic's clock instead, so that its date can move through a course.
 */
public final class AssessmentMoment {

  private final Clock clock;
  private final ZoneId zone;
  private final LocalDate fixedDate;

  /**
   * @param clock the clinic's clock: the system clock in production, the sandbox EHR's settable clock in the sandbox
   * @param zone the clinic's time zone (which calendar day "today" is)
   * @param fixedDate the date to assess as of instead of today; null for today
   */
  public AssessmentMoment(Clock clock, ZoneId zone, LocalDate fixedDate) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.zone = Objects.requireNonNull(zone, "time zone");
    this.fixedDate = fixedDate;
  }

  /** The date the record is assessed as of: the fixed date, else today in the clinic's time zone. */
  public LocalDate today() {
    return fixedDate != null ? fixedDate : LocalDate.now(clock.withZone(zone));
  }

  /**
   * The moment of the infusion-day check (§ 8.2): now; with a fixed date, that date at the clock's time of day in
   * the clinic's time zone.
   */
  public Instant now() {
    Instant now = clock.instant();
    return fixedDate == null ? now : fixedDate.atTime(now.atZone(zone).toLocalTime()).atZone(zone).toInstant();
  }

  /**
   * The clock's instant, for what happens now: a signature, a statement, a write (never moved to a fixed date; in the
   * sandbox the EHR's time, so that a course walked through its weeks is confirmed on the days it happens).
   */
  public Instant instant() {
    return clock.instant();
  }

  /** The clinic's time zone. */
  public ZoneId zone() {
    return zone;
  }
}
