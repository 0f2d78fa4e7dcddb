package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.List;

/**
 * One rule's outcome with the records it rests on ({@code evidence}: references like
 * "Condition/c1"), a sentence for the clinician, the date of the newest evidence (null when none),
 * and the attestation that decided it, if any.
 */
public record Finding(RuleId rule, Outcome outcome, List<String> evidence, String detail,
    LocalDate evidenceDate, Attestation attestation) {

  public Finding {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }

  public static Finding of(RuleId rule, Outcome outcome, List<String> evidence, String detail,
      LocalDate evidenceDate) {
    return new Finding(rule, outcome, evidence, detail, evidenceDate, null);
  }

  /** Listed in the output: met or unknown (CLINICAL-RULES § 2). */
  public boolean reportable() {
    return outcome != Outcome.NOT_MET;
  }
}
