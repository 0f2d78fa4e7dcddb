package org.ketamineadvisor.advisor.workspace;

import java.time.Clock;
import java.util.Objects;

/**
 * The clock the clinic's day runs on: what "now" and "today" are for the pages, the infusion-day check and CDS Hooks
 * (through {@link AssessmentMoment}). The system clock in production; the sandbox EHR supplies its own settable clock,
 * so that a tester can walk a course through its weeks.
 *
 * <p>A type of its own, not a second {@link Clock} bean: what must follow real time (token expiry, the SMART
 * discovery cache, CDS Hooks JWTs) asks for a {@code Clock} and so can never be handed a clinic clock the sandbox
 * moved twelve weeks ahead.
 *
 * @param clock the clinic's "now"
 */
public record ClinicClock(Clock clock) {

  public ClinicClock {
    Objects.requireNonNull(clock, "clock");
  }
}
