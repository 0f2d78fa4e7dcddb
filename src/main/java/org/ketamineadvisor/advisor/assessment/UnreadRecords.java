package org.ketamineadvisor.advisor.assessment;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a rule that would be not-met into unknown when a resource type it reads could not be read:
 * the output must never present a failed read as "no data". This deliberately goes beyond
 * CLINICAL-RULES § 7.2, whose assumption (the record is complete) does not hold then.
 */
final class UnreadRecords {

  private static final Set<RuleId> FROM_CONDITIONS = EnumSet.of(RuleId.IND_NEUROPATHIC, RuleId.CI_PSYCHOSIS,
      RuleId.CI_CARDIOVASCULAR, RuleId.CI_PREGNANCY, RuleId.CI_SEVERE_HEPATIC, RuleId.CI_SUBSTANCE_USE,
      RuleId.PR_HYPERTENSION, RuleId.PR_CARDIOVASCULAR, RuleId.PR_HEPATIC, RuleId.PR_SUBSTANCE_HISTORY,
      RuleId.PR_BIPOLAR, RuleId.PR_ELEVATED_IOP, RuleId.PR_INTRACRANIAL, RuleId.PR_HYPERTHYROIDISM,
      RuleId.DATA_LFT);
  private static final Set<RuleId> FROM_MEDICATIONS = EnumSet.of(RuleId.IND_PRIOR_THERAPY, RuleId.CI_XANTHINE,
      RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE, RuleId.INT_CNS_DEPRESSANT, RuleId.INT_SYMPATHOMIMETIC,
      RuleId.INT_MAOI);
  private static final Set<RuleId> FROM_OBSERVATIONS = EnumSet.of(RuleId.CI_UNCONTROLLED_HTN, RuleId.CI_PREGNANCY,
      RuleId.CI_SEVERE_HEPATIC, RuleId.PR_HYPERTENSION, RuleId.PR_TACHYCARDIA, RuleId.PR_HEPATIC,
      RuleId.PR_ELEVATED_IOP, RuleId.DATA_LFT);
  private static final Map<String, Set<RuleId>> RULES_BY_RESOURCE_TYPE = Map.of(
      "Condition", FROM_CONDITIONS,
      "MedicationRequest", FROM_MEDICATIONS,
      "MedicationStatement", FROM_MEDICATIONS,
      "Medication", FROM_MEDICATIONS,
      "Observation", FROM_OBSERVATIONS,
      "AllergyIntolerance", EnumSet.of(RuleId.CI_KETAMINE_ALLERGY));

  private UnreadRecords() {}

  static void apply(List<PatientRecord.ReadProblem> problems, FindingSheet sheet) {
    for (PatientRecord.ReadProblem problem : problems) {
      Set<RuleId> affected = RULES_BY_RESOURCE_TYPE.getOrDefault(problem.resourceType(), Set.of());
      for (RuleId rule : affected) {
        Finding finding = sheet.get(rule);
        if (finding.outcome() == Outcome.NOT_MET) {
          sheet.replace(new Finding(rule, Outcome.UNKNOWN, finding.evidence(),
              "not decided: " + problem.resourceType() + " could not be read (" + problem.reason()
                  + "); from what was read: " + finding.detail(), finding.evidenceDate(), null));
        }
      }
    }
  }
}
