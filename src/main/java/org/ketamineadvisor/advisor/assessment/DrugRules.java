package org.ketamineadvisor.advisor.assessment;

import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * CI-XANTHINE, CI-KETAMINE-ALLERGY and the interactions INT-* (CLINICAL-RULES § 2.2–2.3): current
 * medications by drug class, and a ketamine allergy that still holds.
 */
final class DrugRules implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    current(facts, sheet, RuleId.CI_XANTHINE, ValueSetId.XANTHINES, "theophylline or aminophylline");
    Evidence allergy = new Evidence();
    for (AllergyRecord record : facts.ketamineAllergies()) {
      allergy.add(record.reference(), "allergy to " + record.substance().label()
          + (record.clinicalStatus() == null ? "" : ", " + record.clinicalStatus())
          + ("unconfirmed".equals(record.verificationStatus()) ? "; unconfirmed" : ""), null);
    }
    sheet.metOrNot(RuleId.CI_KETAMINE_ALLERGY, allergy, "no ketamine allergy recorded");
    current(facts, sheet, RuleId.INT_OPIOID, ValueSetId.OPIOIDS, "opioid");
    current(facts, sheet, RuleId.INT_BENZODIAZEPINE, ValueSetId.BENZODIAZEPINES, "benzodiazepine");
    current(facts, sheet, RuleId.INT_CNS_DEPRESSANT, ValueSetId.CNS_DEPRESSANTS, "CNS depressant");
    current(facts, sheet, RuleId.INT_SYMPATHOMIMETIC, ValueSetId.SYMPATHOMIMETICS, "sympathomimetic");
    current(facts, sheet, RuleId.INT_MAOI, ValueSetId.MAOIS, "MAO inhibitor");
  }

  private static void current(ClinicalFacts facts, FindingSheet sheet, RuleId rule, ValueSetId drugClass,
      String name) {
    sheet.metOrNot(rule, new Evidence().addMedications(facts.currentMedications(drugClass)), "no current " + name);
  }
}
