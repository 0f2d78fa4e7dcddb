package org.ketamineadvisor.advisor.fhir.writing;

/** The canonical URLs of the app's own conformance resources and identifier systems (fhir-profiles/). */
public final class Canonicals {
  public static final String BASE = "https://ketamine-advisor.org/fhir";

  public static final String VERDICT_SYSTEM = BASE + "/CodeSystem/ketamine-verdict";
  public static final String RULE_SYSTEM = BASE + "/CodeSystem/ketamine-rule";
  public static final String RULE_OUTCOME_SYSTEM = BASE + "/CodeSystem/ketamine-rule-outcome";
  public static final String PROTOCOL_SYSTEM = BASE + "/CodeSystem/ketamine-protocol";
  public static final String RISK_SYSTEM = BASE + "/CodeSystem/ketamine-risk";
  public static final String ASSESSMENT_CODE_SYSTEM = BASE + "/CodeSystem/ketamine-assessment-code";
  public static final String PLAN_ACTIVITY_SYSTEM = BASE + "/CodeSystem/ketamine-plan-activity";

  public static final String VERDICT_EXTENSION = BASE + "/StructureDefinition/ketamine-verdict";
  public static final String FINDING_EXTENSION = BASE + "/StructureDefinition/ketamine-finding";
  public static final String RISK_ASSESSMENT_PROFILE = BASE + "/StructureDefinition/ketamine-risk-assessment";
  public static final String CARE_PLAN_PROFILE = BASE + "/StructureDefinition/ketamine-care-plan";
  public static final String ENTERED_OBSERVATION_PROFILE = BASE + "/StructureDefinition/ketamine-entered-observation";

  public static final String RISK_ASSESSMENT_IDENTIFIER = BASE + "/identifier/risk-assessment";
  public static final String CARE_PLAN_IDENTIFIER = BASE + "/identifier/care-plan";
  public static final String ENTERED_OBSERVATION_IDENTIFIER = BASE + "/identifier/entered-observation";
  public static final String GOAL_IDENTIFIER = BASE + "/identifier/goal";
  /** The Group of a population screen's worklist ({@code screen --write-group}). */
  public static final String CANDIDATE_GROUP_IDENTIFIER = BASE + "/identifier/candidate-group";
  /** The MeasureReport of a population screen's counts per verdict. */
  public static final String SCREENING_REPORT_IDENTIFIER = BASE + "/identifier/screening-report";
  /** What a screening MeasureReport measures: the patients per verdict of the rule set (MeasureReport.measure). */
  public static final String SCREENING_MEASURE = BASE + "/Measure/ketamine-infusion-screening";
  /** LOINC 72514-3, the pain score the Goal's target measures (§ 8.3). */
  public static final String PAIN_SCORE_LOINC = "72514-3";
  public static final String GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement";

  /** The rule set the assessment applies (docs/clinical-rules.md, rule set v1.1: settling by value, signing a decision alone). */
  public static final String RULE_SET = "ketamine-rules";
  public static final String RULE_SET_VERSION = "1.1";

  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  public static final String RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability";
  public static final String US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category";

  private Canonicals() {}
}
