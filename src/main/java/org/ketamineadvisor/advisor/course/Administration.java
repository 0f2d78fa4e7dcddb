package org.ketamineadvisor.advisor.course;

import java.time.LocalDate;

/**
 * A MedicationAdministration of ketamine from the EHR's administration record (§ 8.1): when, its status, and the
 * record it came from. The app never invents one.
 */
public record Administration(LocalDate date, String status, String reference) {

  /** Completed or in progress: the session counts as given (§ 8.1). */
  public boolean counts() {
    return "completed".equals(status) || "in-progress".equals(status);
  }
}
