package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The outcome of a course (CLINICAL-RULES § 8.3): the baseline pain score, each follow-up (1, 4 and 12 weeks after
 * the last session given) with its score, reduction and response, and the course's standing: responder,
 * non-responder, not computable, pending (the 12-week window is still open) or unknown (it closed without a score).
 * {@code baseline} and {@code baselineDate} are null when the signed assessment had no pain score: every response
 * with a score is then not computable.
 */
public record CourseOutcome(BigDecimal baseline, LocalDate baselineDate, LocalDate lastSessionGiven,
    List<FollowUp> followUps, Standing standing) {

  public CourseOutcome {
    followUps = List.copyOf(followUps);
  }

  /**
   * IMMPACT response categories from a score in the window; {@code NOT_COMPUTABLE} for a baseline of 0 (or none);
   * without a score, {@code PENDING} while the window is open (today on or before due + 14 days) and
   * {@code MISSING} once it closed.
   */
  public enum Response {
    SUBSTANTIAL("substantial", "substantial response (at least 50 % lower)"),
    MODERATE("moderate", "moderate response (at least 30 % lower)"),
    NONE("none", "no response (less than 30 % lower)"),
    NOT_COMPUTABLE("not-computable", "not computable (baseline 0)"),
    PENDING("pending", "pending: no pain score in the window yet"),
    MISSING("missing", "missing: the window closed without a pain score");

    private final String code;
    private final String words;

    Response(String code, String words) {
      this.code = code;
      this.words = words;
    }

    public String code() {
      return code;
    }

    public String words() {
      return words;
    }

    public boolean responded() {
      return this == SUBSTANTIAL || this == MODERATE;
    }

    /** Whether a score in the window decided it (substantial, moderate, none or not computable). */
    public boolean scored() {
      return this != PENDING && this != MISSING;
    }
  }

  /**
   * One follow-up: its week and due date, the window the score is taken from (7 days before to 14 days after), the
   * score found (null: none yet or none in the window), the reduction in percent (one decimal; null without a score
   * or a baseline above 0) and the response ({@code PENDING} or {@code MISSING} without a score).
   */
  public record FollowUp(int weeks, LocalDate due, LocalDate from, LocalDate to, BigDecimal score, LocalDate scoreDate,
      String scoreReference, BigDecimal reductionPercent, Response response) {

    public FollowUp {
      if (response == null) {
        throw new IllegalArgumentException("a follow-up always has a response (pending or missing without a score)");
      }
    }

    /** The window has not closed and holds no score yet. */
    public boolean open() {
      return response == Response.PENDING;
    }
  }

  /**
   * Where the course stands after the 12-week follow-up (§ 8.3): {@code PENDING} while its window is open without a
   * score (or, before any session was given, while a session day remains), {@code UNKNOWN} once it closed without
   * one or no session was given by the plan's last session day (never "in progress" for ever).
   */
  public enum Standing {
    RESPONDER("responder", "Responder: a repeat course may be considered (ASRA 2018: a positive response is the "
        + "basis for further treatment). A new course starts from a new assessment and a new signature."),
    NON_RESPONDER("non-responder", "No response: a repeat course is not supported."),
    NOT_COMPUTABLE("not-computable", "The response cannot be computed from a baseline pain score of 0."),
    PENDING("pending", "The 12-week follow-up is not done yet."),
    UNKNOWN("unknown", "Unknown: no pain score was recorded in the 12-week follow-up window (7 days before to 14 "
        + "days after its due date), or no session was given and no session day of the plan remains, so the "
        + "response cannot be judged.");

    private final String code;
    private final String meaning;

    Standing(String code, String meaning) {
      this.code = code;
      this.meaning = meaning;
    }

    public String code() {
      return code;
    }

    public String meaning() {
      return meaning;
    }
  }
}
