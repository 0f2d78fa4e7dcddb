package org.ketamineadvisor.advisor.assessment;

import org.ketamineadvisor.advisor.terminology.Concept;

/**
 * An AllergyIntolerance. Statuses are the FHIR codes as written (null when absent):
 * clinicalStatus active/inactive/resolved, verificationStatus unconfirmed/confirmed/refuted/entered-in-error.
 */
public record AllergyRecord(String reference, Concept substance, String clinicalStatus,
    String verificationStatus) {

  public AllergyRecord {
    ConditionRecord.requireReference(reference);
    substance = substance == null ? Concept.EMPTY : substance;
  }
}
