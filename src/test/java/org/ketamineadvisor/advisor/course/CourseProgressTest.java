package org.ketamineadvisor.advisor.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseOutcome.Response;
import org.ketamineadvisor.advisor.course.CourseOutcome.Standing;
import org.ketamineadvisor.advisor.course.CourseProgress.Status;
import org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The course as data (§ 8.1, § 8.3): its status, the sessions given and the follow-ups from the last one given. */
class CourseProgressTest {
  private static final LocalDate SIGNED = LocalDate.of(2026, 5, 20);
  /** Five sessions, 1-5 June 2026 (Monday to Friday). */
  private static final CoursePlan PLAN = new CoursePlan(List.of(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2),
      LocalDate.of(2026, 6, 3), LocalDate.of(2026, 6, 4), LocalDate.of(2026, 6, 5)), 35, 240, SIGNED, null, Set.of());
  private static final PainScore BASELINE = new PainScore(BigDecimal.valueOf(8), SIGNED, "Observation/base");

  private static List<Administration> givenOn(int... days) {
    return java.util.Arrays.stream(days)
        .mapToObj(d -> new Administration(LocalDate.of(2026, 6, d), "completed", "MedicationAdministration/" + d))
        .toList();
  }

  private static CourseProgress progress(List<Administration> given, List<Pain> scores, LocalDate today) {
    return CourseProgress.of(PLAN, false, given, BASELINE, scores, today);
  }

  @Test
  void noCourseHasNothingPlannedGivenOrDueAndNoStanding() {
    CourseProgress none = CourseProgress.noCourse();
    assertThat(none.status()).isEqualTo(Status.NO_COURSE);
    assertThat(none.sessions()).isZero();
    assertThat(none.sessionsGiven()).isZero();
    assertThat(none.lastSession()).isNull();
    assertThat(none.baseline()).isNull();
    assertThat(none.followUps()).isEmpty();
    assertThat(none.standing()).isNull();
  }

  @Test
  void noSessionGivenAndNoSessionDayLeftIsAnUnknownStandingNotPendingForEver() {
    CourseProgress lastDay = progress(List.of(), List.of(), LocalDate.of(2026, 6, 5));
    assertThat(lastDay.standing()).as("the last session day is today").isEqualTo(Standing.PENDING);
    CourseProgress after = progress(List.of(), List.of(), LocalDate.of(2026, 6, 6));
    assertThat(after.status()).isEqualTo(Status.FOLLOWING_UP);
    assertThat(after.sessionsGiven()).isZero();
    assertThat(after.followUps()).isEmpty();
    assertThat(after.standing()).isEqualTo(Standing.UNKNOWN);
    assertThat(progress(List.of(), List.of(), LocalDate.of(2027, 6, 6)).standing()).isEqualTo(Standing.UNKNOWN);
  }

  @Test
  void beforeTheFirstSessionTheCourseIsInProgressWithNoFollowUpsAndAPendingStanding() {
    CourseProgress p = progress(List.of(), List.of(), LocalDate.of(2026, 5, 28));
    assertThat(p.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(p.sessions()).isEqualTo(5);
    assertThat(p.sessionsGiven()).isZero();
    assertThat(p.lastSession()).isNull();
    assertThat(p.baseline()).isEqualTo(BASELINE);
    assertThat(p.followUps()).isEmpty();
    assertThat(p.standing()).isEqualTo(Standing.PENDING);
  }

  @Test
  void sessionsGivenCountOnlySessionDaysOnOrBeforeTodayAndCompletedOrInProgress() {
    List<Administration> given = List.of(
        new Administration(LocalDate.of(2026, 6, 1), "completed", "MedicationAdministration/1"),
        new Administration(LocalDate.of(2026, 6, 2), "in-progress", "MedicationAdministration/2"),
        new Administration(LocalDate.of(2026, 6, 3), "not-done", "MedicationAdministration/3"),
        new Administration(LocalDate.of(2026, 6, 6), "completed", "MedicationAdministration/not-a-session-day"),
        new Administration(LocalDate.of(2026, 6, 4), "completed", "MedicationAdministration/tomorrow"));
    CourseProgress p = progress(given, List.of(), LocalDate.of(2026, 6, 3));
    assertThat(p.sessionsGiven()).isEqualTo(2);
    assertThat(p.lastSession()).isEqualTo(LocalDate.of(2026, 6, 2));
    assertThat(p.status()).isEqualTo(Status.IN_PROGRESS);
    // listed once a session was given, counted from the last one given so far
    assertThat(p.followUps()).extracting(FollowUp::due).containsExactly(LocalDate.of(2026, 6, 9),
        LocalDate.of(2026, 6, 30), LocalDate.of(2026, 8, 25));
  }

  @ParameterizedTest(name = "given {0}, today {1} → {2}")
  @CsvSource({
      "'1,2,3', 2026-06-04, IN_PROGRESS",   // a session day remains today
      "'1,2,3', 2026-06-05, IN_PROGRESS",   // the last session day is today
      "'1,2,3', 2026-06-06, FOLLOWING_UP",  // no session day remains: fewer given than planned
      "'1,2,3,4,5', 2026-06-05, FOLLOWING_UP"}) // every session given
  void theStatusFollowsTheSessionDaysLeftAndTheSessionsGiven(String days, LocalDate today, Status expected) {
    int[] given = java.util.Arrays.stream(days.split(",")).mapToInt(Integer::parseInt).toArray();
    assertThat(progress(givenOn(given), List.of(), today).status()).isEqualTo(expected);
  }

  @Test
  void aCompletedPlanIsCompletedWhateverWasGiven() {
    CourseProgress p = CourseProgress.of(PLAN, true, givenOn(1, 2, 3), BASELINE, List.of(), LocalDate.of(2026, 9, 30));
    assertThat(p.status()).isEqualTo(Status.COMPLETED);
    assertThat(p.standing()).isEqualTo(Standing.UNKNOWN);
  }

  @Test
  void fewerSessionsGivenThanPlannedCountTheFollowUpsFromTheLastGiven() {
    // three of five given; the last on 3 June: due 10 June, 1 July, 26 August
    LocalDate last = LocalDate.of(2026, 6, 3);
    List<Pain> scores = List.of(new Pain(last.plusWeeks(1).minusDays(1), new BigDecimal("5"), "Observation/w1"),
        new Pain(last.plusWeeks(12).plusDays(3), new BigDecimal("4"), "Observation/w12"));
    CourseProgress p = progress(givenOn(1, 2, 3), scores, last.plusWeeks(12).plusDays(20));
    assertThat(p.status()).isEqualTo(Status.FOLLOWING_UP);
    assertThat(p.sessions()).isEqualTo(5);
    assertThat(p.sessionsGiven()).isEqualTo(3);
    assertThat(p.lastSession()).isEqualTo(last);
    assertThat(p.followUps()).extracting(FollowUp::weeks).containsExactly(1, 4, 12);
    assertThat(p.followUps()).extracting(FollowUp::due).containsExactly(last.plusWeeks(1), last.plusWeeks(4),
        last.plusWeeks(12));
    FollowUp first = p.followUps().get(0);
    assertThat(first.score()).isEqualByComparingTo("5");
    assertThat(first.scoreDate()).isEqualTo(last.plusWeeks(1).minusDays(1));
    assertThat(first.reductionPercent()).isEqualByComparingTo("37.5");
    assertThat(first.response()).isEqualTo(Response.MODERATE);
    assertThat(p.followUps().get(1).response()).isEqualTo(Response.MISSING);
    assertThat(p.followUps().get(2).response()).isEqualTo(Response.SUBSTANTIAL);
    assertThat(p.standing()).isEqualTo(Standing.RESPONDER);
  }

  @ParameterizedTest(name = "score on due {0} days, today due + {1} days → {2}")
  @CsvSource({
      "-8, 20, MISSING",   // before the window: not counted, and the window has closed
      "-7, 20, MODERATE",  // the window's first day
      "14, 20, MODERATE",  // the window's last day
      "15, 20, MISSING",   // after the window
      "15, 14, PENDING"})  // after the window, which is still open today (and the score is after today)
  void eachWindowEdgeOfTheOneWeekFollowUp(int scoreOffset, int todayOffset, Response expected) {
    LocalDate due = LocalDate.of(2026, 6, 12);
    CourseProgress p = progress(givenOn(1, 2, 3, 4, 5), List.of(new Pain(due.plusDays(scoreOffset),
        new BigDecimal("5"), "Observation/p")), due.plusDays(todayOffset));
    assertThat(p.followUps().get(0).due()).isEqualTo(due);
    assertThat(p.followUps().get(0).response()).isEqualTo(expected);
  }

  @Test
  void aBaselineOfZeroIsNotComputable() {
    PainScore zero = new PainScore(BigDecimal.ZERO, SIGNED, "Observation/zero");
    CourseProgress p = CourseProgress.of(PLAN, false, givenOn(1, 2, 3, 4, 5),
        zero, List.of(new Pain(LocalDate.of(2026, 8, 28), BigDecimal.ZERO, "Observation/w12")),
        LocalDate.of(2026, 9, 30));
    assertThat(p.followUps().get(2).response()).isEqualTo(Response.NOT_COMPUTABLE);
    assertThat(p.followUps().get(2).reductionPercent()).isNull();
    assertThat(p.standing()).isEqualTo(Standing.NOT_COMPUTABLE);
  }
}
