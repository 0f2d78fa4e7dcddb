package org.ketamineadvisor.advisor.fhir;

import java.util.List;
import java.util.Optional;

/**
 * What this app has already written to the patient's chart: its CarePlans (newest first) and its latest signed
 * RiskAssessment (null when none), as found by the app's identifier systems. {@code problem} says why the chart
 * could not be checked (null when it could): the page then never assumes there is nothing.
 */
public record ChartState(List<ExistingPlan> plans, SignedAssessment signed, String problem) {

  public ChartState {
    plans = List.copyOf(plans);
  }

  /** Nothing could be looked up, for the reason given. */
  public static ChartState unchecked(String problem) {
    return new ChartState(List.of(), null, problem);
  }

  public boolean checked() {
    return problem == null;
  }

  /** The plan in force (active, on hold or draft), newest first; empty when none. */
  public Optional<ExistingPlan> currentPlan() {
    return plans.stream().filter(ExistingPlan::current).findFirst();
  }

  public List<ExistingPlan> currentPlans() {
    return plans.stream().filter(ExistingPlan::current).toList();
  }
}
