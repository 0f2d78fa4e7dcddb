package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The outcome of a course (CLINICAL-RULES § 8.3): the baseline pain score, each follow-up (1, 4 and 12 weeks after
 * the last session given) with its score, reduction and response, and the course's standing: responder,
 * non-responder, or not yet known.
 */
public record CourseOutcome(BigDecimal baseline, LocalDate baselineDate, LocalDate lastSessionGiven,
    List<FollowUp> followUps, Standing standing) {

  public CourseOutcome {
    followUps = List.copyOf(followUps);
  }

  /** IMMPACT response categories; {@code NOT_COMPUTABLE} for a baseline of 0. */
  public enum Response {
    SUBSTANTIAL("substantial", "substantial response (at least 50 % lower)"),
    MODERATE("moderate", "moderate response (at least 30 % lower)"),
    NONE("none", "no response (less than 30 % lower)"),
    NOT_COMPUTABLE("not-computable", "not computable (baseline 0)");

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
  }

  /**
   * One follow-up: its week and due date, the window the score is taken from (7 days before to 14 days after), the
   * score found (null: none yet or none in the window), the reduction in percent (one decimal) and the response.
   * {@code open} while the window has not closed and no score is found yet.
   */
  public record FollowUp(int weeks, LocalDate due, LocalDate from, LocalDate to, BigDecimal score, LocalDate scoreDate,
      String scoreReference, BigDecimal reductionPercent, Response response, boolean open) {}

  /** Where the course stands after the 12-week follow-up (§ 8.3), or before it. */
  public enum Standing {
    RESPONDER("responder", "Responder: a repeat course may be considered (ASRA 2018: a positive response is the "
        + "basis for further treatment). A new course starts from a new assessment and a new signature."),
    NON_RESPONDER("non-responder", "No response: a repeat course is not supported."),
    NOT_COMPUTABLE("not-computable", "The response cannot be computed from a baseline pain score of 0."),
    IN_PROGRESS("in-progress", "The 12-week follow-up is not done yet.");

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
