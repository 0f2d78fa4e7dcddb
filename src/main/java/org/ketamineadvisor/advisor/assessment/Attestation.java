package org.ketamineadvisor.advisor.assessment;

import java.time.Instant;

/**
 * A clinician's statement that settles an unknown rule "by statement" (CLINICAL-RULES § 2.4: IND-PRIOR-THERAPY,
 * IND-ADULT), e.g. "a first-line agent was tried: duloxetine at another clinic". Data rules are settled by an
 * {@link EnteredValue} instead. {@code author} is the clinician's FHIR reference (e.g. Practitioner/123) or name.
 */
public record Attestation(RuleId rule, Outcome outcome, String author, String reason, Instant at)
    implements java.io.Serializable {
  public Attestation {
    if (rule == null || outcome == null) {
      throw new IllegalArgumentException("an attestation needs a rule and an outcome");
    }
    if (outcome == Outcome.UNKNOWN) {
      throw new IllegalArgumentException("an attestation settles a rule: met or not-met, not unknown");
    }
    if (author == null || author.isBlank()) {
      throw new IllegalArgumentException("an attestation of " + rule.id() + " needs its author");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an attestation of " + rule.id() + " needs a reason");
    }
    if (at == null) {
      throw new IllegalArgumentException("an attestation of " + rule.id() + " needs a time");
    }
  }

  /** What the clinician stated, in words ("a first-line agent was tried"), never "not met". */
  public String statement() {
    boolean yes = outcome == Outcome.MET;
    return switch (rule) {
      case IND_PRIOR_THERAPY -> yes ? "a first-line agent (gabapentinoid, TCA or SNRI) was tried"
          : "no first-line agent was tried";
      case IND_ADULT -> yes ? "the patient is an adult (18 or older)" : "the patient is not an adult";
      default -> rule.title() + (yes ? ": present" : ": absent");
    };
  }
}
