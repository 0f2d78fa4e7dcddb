package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/** PR-ELEVATED-IOP and PR-INTRACRANIAL: raised eye or brain pressure (CLINICAL-RULES § 2.3, § 7.12). */
final class PressureRules implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    RuleSettings settings = facts.settings();
    BigDecimal limit = BigDecimal.valueOf(settings.intraocularPressureLimit());
    Evidence eye = new Evidence().addConditions(facts.activeConditions(ValueSetId.GLAUCOMA));
    for (Measurement pressure : facts.allWithin("intraocular-pressure", settings.intraocularPressureWindowDays())) {
      if (pressure.value().compareTo(limit) > 0) {
        eye.add(pressure.reference(), "intraocular pressure " + pressure.quantity() + " on " + pressure.date()
            + " (> " + limit + " mmHg)", pressure.date());
      }
    }
    sheet.metOrNot(RuleId.PR_ELEVATED_IOP, eye, "no active glaucoma and no intraocular pressure above " + limit
        + " mmHg within " + settings.intraocularPressureWindowDays() + " days");
    sheet.metOrNot(RuleId.PR_INTRACRANIAL,
        new Evidence().addConditions(facts.activeConditions(ValueSetId.INTRACRANIAL_HYPERTENSION)),
        "no active intracranial hypertension");
  }
}
