package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The infusion-day check of CLINICAL-RULES § 8.2 as of one moment: the session number of the day (0 when the day
 * is not a session day), go or hold with each check and the reading it rests on, the sessions given so far, and
 * the day's dose and pump rate. Advice only: nothing is written. {@code day} is the calendar day of {@code at} in
 * the site's time zone {@code zone}; {@code nextSession} is the plan's first session day after it (null when the
 * course has no session left).
 */
public record DayCheck(Instant at, ZoneId zone, LocalDate day, int session, int sessions, Decision decision,
    List<Check> checks, List<LocalDate> given, LocalDate nextSession, int doseMg, BigDecimal rateMgPerHour,
    BigDecimal rateMlPerHour) {

  public DayCheck {
    checks = List.copyOf(checks);
    given = List.copyOf(given);
  }

  /** Go, hold, or no session today. */
  public enum Decision {
    GO("go"), HOLD("hold"), NOT_A_SESSION_DAY("not-a-session-day");

    private final String code;

    Decision(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** One check's result: go, hold, a caution that does not hold, or not applicable to this patient or day. */
  public enum Result {
    GO("go"), HOLD("hold"), CAUTION("caution"), NOT_APPLICABLE("not-applicable");

    private final String code;

    Result(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * One DAY-* check: its id and title, the result, the reading it rests on ("BP 152/88 mmHg") and when that was
   * taken (null when there was none), the record it came from, why in words, and for a hold what to do next
   * ({@code nextStep}: re-measure after rest, record what is missing, call the physician; null otherwise).
   */
  public record Check(String id, String title, Result result, String reading, Instant readAt, String reference,
      String detail, String nextStep) {

    /** A check with no next step (go, a caution, not applicable). */
    Check(String id, String title, Result result, String reading, Instant readAt, String reference, String detail) {
      this(id, title, result, reading, readAt, reference, detail, null);
    }
  }

  public boolean holds() {
    return decision == Decision.HOLD;
  }
}
