package org.ketamineadvisor.advisor.careplan;

import java.time.LocalDate;

/**
 * What the clinician chose for the plan; each null means "the default": the protocol of the best
 * indication group, the day after the as-of date, the protocol's number of sessions.
 */
public record PlanRequest(ProtocolId protocol, LocalDate start, Integer sessions) implements java.io.Serializable {

  /**
   * Twice the longest protocol (P-CRPS, 10 sessions): enough room for a clinician to extend a course,
   * small enough that a typo such as 100 is refused rather than scheduled.
   */
  public static final int MAX_SESSIONS = 20;

  public PlanRequest {
    if (sessions != null && (sessions < 1 || sessions > MAX_SESSIONS)) {
      throw new IllegalArgumentException("sessions must be between 1 and " + MAX_SESSIONS + ", got "
          + sessions + ": leave it empty for the protocol's default");
    }
  }

  /** Every choice left to the defaults. */
  public static PlanRequest defaults() {
    return new PlanRequest(null, null, null);
  }
}
