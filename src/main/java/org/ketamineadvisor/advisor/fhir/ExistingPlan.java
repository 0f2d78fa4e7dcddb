package org.ketamineadvisor.advisor.fhir;

import java.time.LocalDate;

/**
 * A CarePlan this app wrote earlier for the patient (found by the app's identifier system), so that a second
 * launch shows it instead of proposing a duplicate. {@code id} is "CarePlan/123"; dates may be null.
 */
public record ExistingPlan(String id, String status, String title, LocalDate created, LocalDate start,
    LocalDate end) {

  public ExistingPlan {
    if (id == null || id.isBlank() || status == null) {
      throw new IllegalArgumentException("an existing plan needs its id and status");
    }
  }

  /** Active or draft: still in force, so a new proposal would duplicate it. */
  public boolean current() {
    return "active".equals(status) || "draft".equals(status) || "on-hold".equals(status);
  }
}
