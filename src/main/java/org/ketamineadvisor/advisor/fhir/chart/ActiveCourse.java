package org.ketamineadvisor.advisor.fhir.chart;

import java.time.LocalDate;

/**
 * One patient with an active plan of this app, as the search for every active course found it: the patient's id
 * (e.g. "123"), name and birth date from the included Patient (null when the server did not include it or the
 * Patient does not record them), the plan followed (the newest active one), how many active plans of this app the
 * patient has, and {@code problem}: why this row needs attention (null when it does not), e.g. more than one active
 * plan, which must never be (the newest is followed, the others are named so they can be resolved).
 */
public record ActiveCourse(String patientId, String name, LocalDate birthDate, ExistingPlan plan, int activePlans,
    String problem) {

  public ActiveCourse {
    if (patientId == null || plan == null || activePlans < 1) {
      throw new IllegalArgumentException("an active course needs its patient and its plan");
    }
  }
}
