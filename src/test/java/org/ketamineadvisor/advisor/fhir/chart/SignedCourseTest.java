package org.ketamineadvisor.advisor.fhir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of this app's plans the course follows: the active one before any completed one, whatever their dates. */
class SignedCourseTest {

  @Test
  void theActivePlanComesBeforeACompletedOneLastUpdatedLater() {
    // the chart lists plans newest first: the completed course was touched after the new one was signed
    ChartState chart = new ChartState(List.of(plan("CarePlan/old", "completed"), plan("CarePlan/new", "active")),
        null, null);
    assertThat(SignedCourse.plan(chart)).map(ExistingPlan::id).hasValue("CarePlan/new");
  }

  @Test
  void aCompletedPlanWhenNoneIsActiveAndNothingElse() {
    assertThat(SignedCourse.plan(new ChartState(List.of(plan("CarePlan/draft", "draft"),
        plan("CarePlan/done", "completed")), null, null))).map(ExistingPlan::id).hasValue("CarePlan/done");
    assertThat(SignedCourse.plan(new ChartState(List.of(plan("CarePlan/revoked", "revoked")), null, null))).isEmpty();
  }

  @Test
  void whyACourseCannotBeBuiltFromThePlanItFollows() {
    ExistingPlan.Dosing dose = new ExistingPlan.Dosing(25, 240, null);
    List<java.time.LocalDate> days = List.of(java.time.LocalDate.of(2026, 6, 2));
    SignedAssessment signed = new SignedAssessment("RiskAssessment/1", "suitable", "Suitable",
        java.time.LocalDate.of(2026, 6, 1), "Dr Ada", Instant.EPOCH, List.of(), List.of());
    assertThat(SignedCourse.unfollowable(new ChartState(List.of(plan("CarePlan/1", "active", List.of(), dose)),
        signed, null))).hasValue("the plan CarePlan/1 lists no session days");
    assertThat(SignedCourse.unfollowable(new ChartState(List.of(plan("CarePlan/1", "completed", days, null)),
        signed, null))).hasValue("the plan CarePlan/1 states no session dose and duration");
    assertThat(SignedCourse.unfollowable(new ChartState(List.of(plan("CarePlan/1", "active", days, dose)),
        null, null))).get().asString().contains("no signed assessment");
    assertThat(SignedCourse.unfollowable(new ChartState(List.of(plan("CarePlan/1", "active", days, dose)),
        signed, null))).isEmpty();
    assertThat(SignedCourse.of(new ChartState(List.of(plan("CarePlan/1", "active", days, dose)), signed, null)))
        .isPresent();
    assertThat(SignedCourse.unfollowable(new ChartState(List.of(plan("CarePlan/1", "draft", List.of(), null)),
        null, null))).as("no plan followed: no course, nothing to refuse").isEmpty();
  }

  @Test
  void aCourseIsFollowedFromTheAssessmentItsPlanRestsOnNotOneSignedLater() {
    ExistingPlan.Dosing dose = new ExistingPlan.Dosing(25, 240, null);
    List<java.time.LocalDate> days = List.of(java.time.LocalDate.of(2026, 2, 17));
    SignedAssessment itsOwn = new SignedAssessment("RiskAssessment/7", "suitable", "Suitable",
        java.time.LocalDate.of(2026, 2, 16), "Dr Ada", Instant.parse("2026-02-16T10:00:00Z"),
        List.of("CI-HYPERTENSION=not-met"), List.of());
    // months after the course ended, the clinician signed a new assessment (no plan): a new pain score, new findings
    SignedAssessment later = new SignedAssessment("RiskAssessment/9", "not-suitable", "Not suitable",
        java.time.LocalDate.of(2026, 9, 1), "Dr Ada", Instant.parse("2026-09-01T10:00:00Z"),
        List.of("CI-HYPERTENSION=met"), List.of());
    ExistingPlan completed = new ExistingPlan("CarePlan/3", "4", "completed", "Ketamine", null, null, null, null, null,
        Instant.EPOCH, days, List.of(), dose, null, null, List.of(), "RiskAssessment/7");
    ChartState chart = new ChartState(List.of(completed), later, null, List.of(), List.of(), null,
        List.of(later, itsOwn));

    assertThat(SignedCourse.assessment(chart)).hasValue(itsOwn);
    assertThat(SignedCourse.of(chart)).get().satisfies(course -> {
      assertThat(course.signedAsOf()).isEqualTo(java.time.LocalDate.of(2026, 2, 16));
      assertThat(course.signedContraindications()).isEmpty();
    });

    ChartState without = new ChartState(List.of(completed), later, null, List.of(), List.of(), null, List.of(later));
    assertThat(SignedCourse.of(without)).as("never re-based on another assessment").isEmpty();
    assertThat(SignedCourse.unfollowable(without)).hasValue(
        "the signed assessment RiskAssessment/7 the plan CarePlan/3 rests on was not found");
  }

  private static ExistingPlan plan(String id, String status, List<java.time.LocalDate> sessions,
      ExistingPlan.Dosing dosing) {
    return new ExistingPlan(id, "1", status, "Ketamine", null, null, null, null, null, Instant.EPOCH, sessions,
        List.of(), dosing, null, null, List.of());
  }

  private static ExistingPlan plan(String id, String status) {
    return new ExistingPlan(id, "1", status, "Ketamine", null, null, null, null, null, Instant.EPOCH, List.of(),
        List.of(), null, null, null, List.of());
  }
}
