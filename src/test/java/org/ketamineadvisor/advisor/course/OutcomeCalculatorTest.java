package org.ketamineadvisor.advisor.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseOutcome.Response;
import org.ketamineadvisor.advisor.course.CourseOutcome.Standing;
import org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain;

/** § 8.3: follow-up windows, the 30 % and 50 % boundaries exactly, a baseline of 0. */
class OutcomeCalculatorTest {
  private static final LocalDate LAST = LocalDate.of(2026, 3, 2);
  private static final List<LocalDate> GIVEN = List.of(LocalDate.of(2026, 2, 27), LAST);
  /** 12 weeks after the last session. */
  private static final LocalDate DUE_12 = LAST.plusWeeks(12);
  private static final LocalDate LATER = DUE_12.plusDays(30);

  private static PainScore baseline(String score) {
    return new PainScore(new BigDecimal(score), LocalDate.of(2026, 2, 10), "Observation/base");
  }

  private static Pain pain(LocalDate day, String score) {
    return new Pain(day, new BigDecimal(score), "Observation/p-" + day);
  }

  private static FollowUp twelveWeeks(CourseOutcome o) {
    return o.followUps().get(2);
  }

  @ParameterizedTest(name = "baseline {0}, score {1} → {2} % {3}")
  @CsvSource({
      "8, 5.6, 30.0, MODERATE",
      "8, 4, 50.0, SUBSTANTIAL",
      "10, 7, 30.0, MODERATE",
      "10, 5, 50.0, SUBSTANTIAL",
      "7, 4.9, 30.0, MODERATE",
      "7, 5, 28.5, NONE",
      "8, 5.7, 28.7, NONE",
      "6, 6, 0.0, NONE",
      "6, 7, -16.6, NONE"})
  void responseFromTheReduction(String base, String score, String percent, Response expected) {
    CourseOutcome o = OutcomeCalculator.of(baseline(base), GIVEN, List.of(pain(DUE_12, score)), LATER);
    assertThat(twelveWeeks(o).reductionPercent()).isEqualByComparingTo(percent);
    assertThat(twelveWeeks(o).response()).isEqualTo(expected);
    assertThat(o.standing()).isEqualTo(expected.responded() ? Standing.RESPONDER : Standing.NON_RESPONDER);
  }

  @Test
  void aBaselineOfZeroIsNotComputable() {
    CourseOutcome o = OutcomeCalculator.of(baseline("0"), GIVEN, List.of(pain(DUE_12, "0")), LATER);
    assertThat(twelveWeeks(o).response()).isEqualTo(Response.NOT_COMPUTABLE);
    assertThat(twelveWeeks(o).reductionPercent()).isNull();
    assertThat(o.standing()).isEqualTo(Standing.NOT_COMPUTABLE);
  }

  @ParameterizedTest(name = "a score {0} days from the due date counts: {1}")
  @CsvSource({"-8, false", "-7, true", "0, true", "14, true", "15, false"})
  void theWindowIsSevenDaysBeforeTo14DaysAfterTheDueDate(int offset, boolean counts) {
    CourseOutcome o = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(pain(DUE_12.plusDays(offset), "4")), LATER);
    assertThat(twelveWeeks(o).score() != null).isEqualTo(counts);
  }

  @Test
  void theLatestScoreInTheWindowIsTheOneAndFollowUpsCountFromTheLastSessionGiven() {
    CourseOutcome o = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(pain(DUE_12.minusDays(3), "7"),
        pain(DUE_12.plusDays(2), "4"), pain(LAST.plusWeeks(1), "6")), LATER);
    assertThat(o.followUps()).extracting(FollowUp::due).containsExactly(LAST.plusWeeks(1), LAST.plusWeeks(4), DUE_12);
    assertThat(twelveWeeks(o).score()).isEqualByComparingTo("4");
    assertThat(o.followUps().get(0).response()).isEqualTo(Response.NONE); // 8 → 6: 25 %
    assertThat(o.followUps().get(1).score()).isNull();
  }

  @Test
  void beforeTheWindowClosesAMissingScoreIsOpenAndTheCourseInProgress() {
    CourseOutcome o = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(), DUE_12.minusDays(1));
    assertThat(twelveWeeks(o).open()).isTrue();
    assertThat(twelveWeeks(o).response()).isEqualTo(Response.PENDING);
    assertThat(o.standing()).isEqualTo(Standing.PENDING);
    // a score dated after today is not read (§ 7.3)
    CourseOutcome early = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(pain(DUE_12, "2")), DUE_12.minusDays(1));
    assertThat(twelveWeeks(early).score()).isNull();
  }

  @Test
  void nothingToFollowUpBeforeASessionIsGiven() {
    assertThat(OutcomeCalculator.of(baseline("8"), List.of(), List.of(), LATER)).isNull();
  }

  @ParameterizedTest(name = "no score, today due + {0} days: {1}, standing {2}")
  @CsvSource({"-8, PENDING, PENDING", "0, PENDING, PENDING", "14, PENDING, PENDING", "15, MISSING, UNKNOWN"})
  void withoutAScoreTheFollowUpIsPendingUntilItsWindowClosesThenMissing(int offset, Response response,
      Standing standing) {
    CourseOutcome o = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(), DUE_12.plusDays(offset));
    assertThat(twelveWeeks(o).response()).isEqualTo(response);
    assertThat(twelveWeeks(o).open()).isEqualTo(response == Response.PENDING);
    assertThat(twelveWeeks(o).score()).isNull();
    assertThat(o.standing()).isEqualTo(standing);
  }

  @Test
  void aScoreOnTheLastDayOfTheWindowStillDecidesTheStandingAfterItCloses() {
    CourseOutcome o = OutcomeCalculator.of(baseline("8"), GIVEN, List.of(pain(DUE_12.plusDays(14), "4")),
        DUE_12.plusDays(15));
    assertThat(o.standing()).isEqualTo(Standing.RESPONDER);
  }

  @ParameterizedTest(name = "baseline 10, score {0} → {1} % {2}")
  @CsvSource({"7.01, 29.9, NONE", "7, 30.0, MODERATE", "5.01, 49.9, MODERATE", "5, 50.0, SUBSTANTIAL"})
  void theThresholdsAreAtLeast30AndAtLeast50Percent(String score, String percent, Response expected) {
    CourseOutcome o = OutcomeCalculator.of(baseline("10"), GIVEN, List.of(pain(DUE_12, score)), LATER);
    assertThat(twelveWeeks(o).reductionPercent()).isEqualByComparingTo(percent);
    assertThat(twelveWeeks(o).response()).isEqualTo(expected);
  }

  @Test
  void withoutABaselineEveryScoredFollowUpIsNotComputable() {
    CourseOutcome o = OutcomeCalculator.of(null, GIVEN, List.of(pain(DUE_12, "3")), LATER);
    assertThat(o.baseline()).isNull();
    assertThat(twelveWeeks(o).response()).isEqualTo(Response.NOT_COMPUTABLE);
    assertThat(twelveWeeks(o).reductionPercent()).isNull();
    assertThat(o.followUps().get(0).response()).isEqualTo(Response.MISSING);
    assertThat(o.standing()).isEqualTo(Standing.NOT_COMPUTABLE);
  }
}
