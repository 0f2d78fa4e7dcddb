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

  private static ExistingPlan plan(String id, String status) {
    return new ExistingPlan(id, "1", status, "Ketamine", null, null, null, null, null, Instant.EPOCH, List.of(),
        List.of(), null, null, null, List.of());
  }
}
