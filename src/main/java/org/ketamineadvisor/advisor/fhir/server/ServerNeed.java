package org.ketamineadvisor.advisor.fhir.server;

/** Each read and write the app needs from a FHIR server, with what the app does when it is missing. */
public enum ServerNeed {
  READ_PATIENT("read Patient", "cannot assess anyone: the patient is the starting point"),
  SEARCH_CONDITION("search Condition by patient", "rules that read conditions become unknown"),
  SEARCH_MEDICATION_STATEMENT("search MedicationStatement by patient", "rules that read medications become unknown"),
  SEARCH_MEDICATION_REQUEST("search MedicationRequest by patient", "rules that read medications become unknown"),
  INCLUDE_MEDICATION("_include the Medication of MedicationRequest/MedicationStatement",
      "a medication referenced but not returned makes the medication rules unknown"),
  SEARCH_OBSERVATION("search Observation by patient, code and date", "rules that read observations become unknown"),
  SEARCH_ALLERGY("search AllergyIntolerance by patient", "the ketamine-allergy rule becomes unknown"),
  TRANSACTION("transaction Bundles", "writes nothing; the plan can still be exported as a FHIR Bundle"),
  CREATE_RISK_ASSESSMENT("create RiskAssessment", "writes nothing; the plan can still be exported as a FHIR Bundle"),
  CREATE_CARE_PLAN("create CarePlan", "writes nothing; the plan can still be exported as a FHIR Bundle"),
  CREATE_PROVENANCE("create Provenance", "writes nothing; the plan can still be exported as a FHIR Bundle"),
  CONDITIONAL_CREATE("conditional create (ifNoneExist)",
      "writes nothing: without it a retried write could create duplicates"),
  UPDATE_CARE_PLAN("update CarePlan with If-Match (versioned update)",
      "a draft plan cannot be signed later on the server; sign when writing instead");

  private final String what;
  private final String ifMissing;

  ServerNeed(String what, String ifMissing) {
    this.what = what;
    this.ifMissing = ifMissing;
  }

  /** The interaction in words: "search Condition by patient". */
  public String what() {
    return what;
  }

  /** What the app does when the server lacks it. */
  public String ifMissing() {
    return ifMissing;
  }

  /** True for the needs of a write-back (all are required for one transaction). */
  public boolean forWriting() {
    return ordinal() >= TRANSACTION.ordinal() && this != UPDATE_CARE_PLAN;
  }
}
