package org.ketamineadvisor.advisor.careplan;

import java.util.List;
import org.ketamineadvisor.advisor.assessment.RuleId;

/**
 * One monitoring or safety step of the plan. {@code code} is stable (a code of the
 * ketamine-plan-activity CodeSystem, e.g. "pre-infusion-vitals"); {@code rules} are the precautions or
 * interactions whose mitigation it is (empty for the protocol's own steps).
 */
public record PlannedActivity(String code, String description, Timing timing, List<RuleId> rules) {

  public PlannedActivity {
    if (code == null || code.isBlank() || description == null || description.isBlank() || timing == null) {
      throw new IllegalArgumentException("a planned activity needs a code, a description and a timing");
    }
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
