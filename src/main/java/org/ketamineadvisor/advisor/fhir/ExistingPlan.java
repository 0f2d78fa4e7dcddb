package org.ketamineadvisor.advisor.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A CarePlan this app wrote earlier for the patient (found by the app's identifier system), so that a launch shows
 * it instead of proposing a duplicate, and a revision can replace it. {@code id} is "CarePlan/123", {@code version}
 * its version id (for If-Match); {@code author} the signer's name (else reference); dates and the author may be
 * null; {@code sessions} and {@code followUps} the dates it schedules (empty for plans written before they were
 * listed as timing events).
 */
public record ExistingPlan(String id, String version, String status, String title, String description,
    LocalDate created, LocalDate start, LocalDate end, String author, Instant written, List<LocalDate> sessions,
    List<LocalDate> followUps)
    implements java.io.Serializable {

  public ExistingPlan {
    sessions = sessions == null ? List.of() : List.copyOf(sessions);
    followUps = followUps == null ? List.of() : List.copyOf(followUps);
    if (id == null || id.isBlank() || status == null) {
      throw new IllegalArgumentException("an existing plan needs its id and status");
    }
  }

  /** Active, on hold or draft: still in force, so a new proposal would duplicate it. */
  public boolean current() {
    return "active".equals(status) || "draft".equals(status) || "on-hold".equals(status);
  }
}
