package org.ketamineadvisor.advisor.assessment;

import java.util.List;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/** CI-PSYCHOSIS, CI-SUBSTANCE-USE, PR-SUBSTANCE-HISTORY and PR-BIPOLAR (CLINICAL-RULES § 2.2–2.3, § 7.6). */
final class PsychiatricRules implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    sheet.metOrNot(RuleId.CI_PSYCHOSIS,
        new Evidence().addConditions(facts.conditions(ValueSetId.PSYCHOTIC_DISORDERS)),
        "no psychotic disorder, active or past");
    List<PresentCondition> substance = facts.conditions(ValueSetId.SUBSTANCE_USE_DISORDERS);
    sheet.metOrNot(RuleId.CI_SUBSTANCE_USE,
        new Evidence().addConditions(substance.stream().filter(PresentCondition::active).toList()),
        "no active substance use disorder");
    sheet.metOrNot(RuleId.PR_SUBSTANCE_HISTORY,
        new Evidence().addConditions(substance.stream().filter(c -> !c.active()).toList()),
        "no past substance use disorder");
    sheet.metOrNot(RuleId.PR_BIPOLAR,
        new Evidence().addConditions(facts.conditions(ValueSetId.BIPOLAR_DISORDERS)),
        "no bipolar disorder");
  }
}
