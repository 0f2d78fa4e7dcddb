package org.ketamineadvisor.advisor.fhir;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A CarePlan this app wrote earlier for the patient (found by the app's identifier system), so that a launch shows
 * it instead of proposing a duplicate, and a revision can replace it. {@code id} is "CarePlan/123", {@code version}
 * its version id (for If-Match); {@code author} the signer's reference; dates and the author may be null.
 */
public record ExistingPlan(String id, String version, String status, String title, String description,
    LocalDate created, LocalDate start, LocalDate end, String author, Instant written)
    implements java.io.Serializable {

  public ExistingPlan {
    if (id == null || id.isBlank() || status == null) {
      throw new IllegalArgumentException("an existing plan needs its id and status");
    }
  }

  /** Active, on hold or draft: still in force, so a new proposal would duplicate it. */
  public boolean current() {
    return "active".equals(status) || "draft".equals(status) || "on-hold".equals(status);
  }
}
