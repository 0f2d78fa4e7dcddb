package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseOutcome.Response;
import org.ketamineadvisor.advisor.course.CourseOutcome.Standing;

/**
 * § 8.3: each follow-up's score is the latest pain score from 7 days before to 14 days after its due date (1, 4
 * and 12 weeks after the last session given); reduction = (baseline − score) ÷ baseline × 100 %; ≥ 50 %
 * substantial, ≥ 30 % moderate, below none; a baseline of 0 is not computable.
 */
public final class OutcomeCalculator {

  static final List<Integer> WEEKS = List.of(1, 4, 12);
  static final int DAYS_BEFORE = 7;
  static final int DAYS_AFTER = 14;
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final BigDecimal SUBSTANTIAL = BigDecimal.valueOf(50);
  private static final BigDecimal MODERATE = BigDecimal.valueOf(30);

  private OutcomeCalculator() {}

  /** A pain score on a day (0-10), from the record {@code reference}. */
  public record Pain(LocalDate date, BigDecimal score, String reference) {}

  /**
   * The outcome as of {@code today}, or null when no session was given (there is nothing to follow up yet).
   * {@code scores} are the patient's pain scores (0-10); those after today are not read. {@code baseline} may be null
   * (the signed assessment had no pain score): a follow-up with a score is then not computable.
   */
  public static CourseOutcome of(PainScore baseline, List<LocalDate> given, List<Pain> scores, LocalDate today) {
    if (given.isEmpty()) {
      return null;
    }
    LocalDate last = given.get(given.size() - 1);
    List<FollowUp> followUps = new ArrayList<>();
    for (int weeks : WEEKS) {
      followUps.add(followUp(weeks, last, baseline, scores, today));
    }
    return new CourseOutcome(baseline == null ? null : baseline.score(), baseline == null ? null : baseline.date(),
        last, followUps, standing(followUps.get(followUps.size() - 1)));
  }

  /** The standing from the 12-week follow-up. */
  static Standing standing(FollowUp twelve) {
    return switch (twelve.response()) {
      case PENDING -> Standing.PENDING;
      case MISSING -> Standing.UNKNOWN;
      case NOT_COMPUTABLE -> Standing.NOT_COMPUTABLE;
      case SUBSTANTIAL, MODERATE -> Standing.RESPONDER;
      case NONE -> Standing.NON_RESPONDER;
    };
  }

  private static FollowUp followUp(int weeks, LocalDate last, PainScore baseline, List<Pain> scores,
      LocalDate today) {
    LocalDate due = last.plusWeeks(weeks);
    LocalDate from = due.minusDays(DAYS_BEFORE);
    LocalDate to = due.plusDays(DAYS_AFTER);
    Pain latest = null;
    for (Pain p : scores) {
      boolean inWindow = !p.date().isBefore(from) && !p.date().isAfter(to) && !p.date().isAfter(today);
      boolean onScale = p.score().signum() >= 0 && p.score().compareTo(BigDecimal.TEN) <= 0;
      if (inWindow && onScale && (latest == null || p.date().isAfter(latest.date()))) {
        latest = p;
      }
    }
    if (latest == null) {
      // the window is open through due + 14 days: pending on that day, missing from the day after
      Response none = today.isAfter(to) ? Response.MISSING : Response.PENDING;
      return new FollowUp(weeks, due, from, to, null, null, null, null, none);
    }
    if (baseline == null || baseline.score().signum() == 0) {
      return new FollowUp(weeks, due, from, to, latest.score(), latest.date(), latest.reference(), null,
          Response.NOT_COMPUTABLE);
    }
    // the category from the exact reduction (29.96 % is not 30 %), the shown value to one decimal
    BigDecimal exact = baseline.score().subtract(latest.score()).multiply(HUNDRED)
        .divide(baseline.score(), 10, RoundingMode.HALF_UP);
    BigDecimal reduction = exact.setScale(1, RoundingMode.DOWN);
    Response response = exact.compareTo(SUBSTANTIAL) >= 0 ? Response.SUBSTANTIAL
        : exact.compareTo(MODERATE) >= 0 ? Response.MODERATE : Response.NONE;
    return new FollowUp(weeks, due, from, to, latest.score(), latest.date(), latest.reference(), reduction, response);
  }
}
