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
   * {@code scores} are the patient's pain scores (0-10) on or before today.
   */
  public static CourseOutcome of(PainScore baseline, List<LocalDate> given, List<Pain> scores, LocalDate today) {
    if (given.isEmpty() || baseline == null) {
      return null;
    }
    LocalDate last = given.get(given.size() - 1);
    List<FollowUp> followUps = new ArrayList<>();
    for (int weeks : WEEKS) {
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
      boolean open = latest == null && !today.isAfter(to);
      if (latest == null) {
        followUps.add(new FollowUp(weeks, due, from, to, null, null, null, null, null, open));
        continue;
      }
      BigDecimal reduction = null;
      Response response;
      if (baseline.score().signum() == 0) {
        response = Response.NOT_COMPUTABLE;
      } else {
        // the category from the exact reduction (29.96 % is not 30 %), the shown value to one decimal
        BigDecimal exact = baseline.score().subtract(latest.score()).multiply(HUNDRED)
            .divide(baseline.score(), 10, RoundingMode.HALF_UP);
        reduction = exact.setScale(1, RoundingMode.DOWN);
        response = exact.compareTo(SUBSTANTIAL) >= 0 ? Response.SUBSTANTIAL
            : exact.compareTo(MODERATE) >= 0 ? Response.MODERATE : Response.NONE;
      }
      followUps.add(new FollowUp(weeks, due, from, to, latest.score(), latest.date(), latest.reference(), reduction,
          response, false));
    }
    FollowUp twelve = followUps.get(followUps.size() - 1);
    Standing standing = twelve.response() == null ? Standing.IN_PROGRESS
        : twelve.response() == Response.NOT_COMPUTABLE ? Standing.NOT_COMPUTABLE
        : twelve.response().responded() ? Standing.RESPONDER : Standing.NON_RESPONDER;
    return new CourseOutcome(baseline.score(), baseline.date(), last, followUps, standing);
  }
}
