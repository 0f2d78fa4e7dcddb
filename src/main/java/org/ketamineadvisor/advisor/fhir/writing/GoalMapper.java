package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.GOAL_ACHIEVEMENT;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.PAIN_SCORE_LOINC;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.UCUM;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;

/**
 * The Goal written with a signed plan (CLINICAL-RULES § 8.3): "pain reduced by at least 30 % from baseline B",
 * target pain score ≤ B × 0.7 (LOINC 72514-3), due on the 12-week follow-up, lifecycle active, achievement
 * in progress. With a baseline of 0 no reduction can be measured: the Goal says so and has no target value.
 */
final class GoalMapper {
  static final String ACHIEVEMENT_IN_PROGRESS = "in-progress";

  private GoalMapper() {}

  static Goal map(Assessment a, InfusionPlan plan, Identifier identifier, WriteBackContext ctx) {
    PainScore baseline = plan.painBaseline();
    Goal goal = new Goal();
    goal.addIdentifier(identifier);
    goal.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
    goal.setAchievementStatus(achievement(ACHIEVEMENT_IN_PROGRESS, "In Progress"));
    goal.setSubject(new Reference("Patient/" + a.patient().id()));
    goal.setStart(new DateType(plan.firstSession().toString()));
    String b = baseline.score().stripTrailingZeros().toPlainString();
    BigDecimal target = baseline.responseTarget();
    goal.setDescription(new CodeableConcept().setText(target == null
        ? "Pain reduced from baseline 0: no reduction can be measured (CLINICAL-RULES § 8.3)"
        : "Pain reduced by at least 30 % from baseline " + b + " (pain score " + target.toPlainString()
            + " or less at the 12-week follow-up)"));
    Goal.GoalTargetComponent t = goal.addTarget();
    t.setMeasure(new CodeableConcept(new Coding("http://loinc.org", PAIN_SCORE_LOINC,
        "Pain severity - 0-10 verbal numeric rating [Score] - Reported")));
    if (target != null) {
      Quantity q = new Quantity().setValue(target).setUnit("{score}").setSystem(UCUM).setCode("{score}");
      q.setComparator(Quantity.QuantityComparator.LESS_OR_EQUAL);
      t.setDetail(q);
    }
    if (plan.followUps().size() >= 3) {
      t.setDue(new DateType(plan.followUps().get(2).toString()));
    }
    for (String condition : a.indicationReferences()) {
      goal.addAddresses(new Reference(condition));
    }
    if (ctx.signed()) {
      goal.setExpressedBy(ctx.signer());
    }
    goal.addNote().setText("Baseline pain score " + b + " on " + baseline.date()
        + (baseline.reference() == null ? "" : " (" + baseline.reference() + ")") + "; response = at least 30 % lower "
        + "(IMMPACT), substantial = at least 50 % lower.");
    return goal;
  }

  static CodeableConcept achievement(String code, String display) {
    return new CodeableConcept(new Coding(GOAL_ACHIEVEMENT, code, display));
  }
}
