package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import org.ketamineadvisor.advisor.terminology.Concept;

/**
 * A MedicationRequest or MedicationStatement, with its medication resolved (contained or referenced
 * Medication's code). {@code status} is the FHIR status code as written. {@code start} is authoredOn
 * (request) or the effective start (statement); {@code end} is dispenseRequest.validityPeriod.end
 * (request) or effectivePeriod.end (statement). Either date may be null.
 */
public record MedicationRecord(
    String reference,
    Kind kind,
    String status,
    Concept medication,
    LocalDate start,
    LocalDate end) {

  public MedicationRecord {
    ConditionRecord.requireReference(reference);
    medication = medication == null ? Concept.EMPTY : medication;
  }

  public enum Kind { REQUEST, STATEMENT }
}
