package org.ketamineadvisor.advisor.assessment;

import java.time.Instant;

/**
 * A clinician's statement that settles an unknown rule ("duloxetine tried at another clinic").
 * {@code author} is the clinician's FHIR reference (e.g. Practitioner/123) or name.
 */
public record Attestation(RuleId rule, Outcome outcome, String author, String reason, Instant at) {
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
}
