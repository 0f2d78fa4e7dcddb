package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.CARE_PLAN_PROFILE;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.PLAN_ACTIVITY_SYSTEM;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.PROTOCOL_SYSTEM;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RXNORM;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.UCUM;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.US_CORE_CAREPLAN_CATEGORY;

import java.time.LocalDate;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityDetailComponent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Timing.TimingRepeatComponent;
import org.hl7.fhir.r4.model.Timing.UnitsOfTime;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlannedActivity;

/** Maps an {@link InfusionPlan} to the CarePlan of CLINICAL-RULES § 6 (profile ketamine-care-plan, US Core rules). */
final class CarePlanMapper {
  static final String KETAMINE_RXNORM = "6130";

  private CarePlanMapper() {}

  static CarePlan map(Assessment a, InfusionPlan p, Identifier identifier, String riskAssessmentUrl,
      WriteBackContext ctx) {
    CarePlan cp = new CarePlan();
    cp.getMeta().addProfile(CARE_PLAN_PROFILE);
    cp.setText(Narratives.carePlan(p, ctx.signed()));
    cp.addIdentifier(identifier);
    // A needs-information plan stays a draft even for the builder's caller: it cannot be signed.
    cp.setStatus(ctx.signed() && !p.draft() ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.DRAFT);
    cp.setIntent(CarePlan.CarePlanIntent.PLAN);
    cp.addCategory(new CodeableConcept(new Coding(US_CORE_CAREPLAN_CATEGORY, "assess-plan",
        "Assessment and Plan of Treatment")));
    cp.setTitle("Ketamine infusion course (" + p.protocol().id() + ")");
    cp.setDescription(p.protocol().display(p.sessions()) + ". " + p.doseCalculation() + ". " + p.order().inWords());
    cp.setSubject(new Reference("Patient/" + a.patient().id()));
    cp.setPeriod(period(p.firstSession(), p.end()));
    cp.setCreatedElement(References.utc(ctx.signedAt()));
    if (ctx.signed()) {
      cp.setAuthor(ctx.signer());
    }
    for (String condition : a.indicationReferences()) {
      cp.addAddresses(new Reference(condition));
    }
    cp.addSupportingInfo(new Reference(riskAssessmentUrl).setDisplay("Ketamine infusion suitability assessment"));
    if (a.weight() != null && a.weight().reference() != null) {
      cp.addSupportingInfo(new Reference(a.weight().reference()).setDisplay("Dosing weight "
          + p.weightKg().toPlainString() + " kg"));
    }
    cp.addActivity().setDetail(sessionSeries(p));
    for (PlannedActivity activity : p.activities()) {
      cp.addActivity().setDetail(monitoring(activity));
    }
    if (p.draft()) {
      String unknowns = a.unknowns().stream().map(Finding::rule).map(RuleId::id).collect(Collectors.joining(", "));
      cp.addNote().setText("Draft: cannot be signed until these are resolved or attested: " + unknowns);
    }
    return cp;
  }

  private static CarePlanActivityDetailComponent sessionSeries(InfusionPlan p) {
    CarePlanActivityDetailComponent d = new CarePlanActivityDetailComponent();
    d.setKind(CarePlan.CarePlanActivityKind.MEDICATIONREQUEST);
    d.setCode(new CodeableConcept(new Coding(PROTOCOL_SYSTEM, p.protocol().id(), p.protocol().display())));
    d.setStatus(CarePlanActivityStatus.NOTSTARTED);
    d.setProduct(new CodeableConcept(new Coding(RXNORM, KETAMINE_RXNORM, "ketamine")).setText("Ketamine IV infusion"));
    SimpleQuantity dose = new SimpleQuantity();
    dose.setValue(p.doseMg()).setUnit("mg").setSystem(UCUM).setCode("mg");
    d.setDailyAmount(dose);
    // Sessions fall on the clinic's infusion days (§ 5), not every day: the dates are the timing's events.
    Timing timing = new Timing();
    for (LocalDate date : p.sessionDates()) {
      timing.getEvent().add(new DateTimeType(date.toString()));
    }
    TimingRepeatComponent repeat = timing.getRepeat();
    repeat.setBounds(period(p.firstSession(), p.lastSession()));
    repeat.setCount(p.sessions());
    repeat.setDuration(p.minutesPerSession()).setDurationUnit(UnitsOfTime.MIN);
    timing.setCode(new CodeableConcept().setText(p.sessions() + " sessions of " + p.minutesPerSession()
        + " min on the clinic's infusion days, one a day"));
    d.setScheduled(timing);
    d.setDescription(p.order().perSession() + " (" + p.order().solution() + "), " + p.sessions()
        + " sessions, course total " + p.order().courseTotalMg() + " mg (" + p.doseCalculation() + "; "
        + p.protocol().source() + ")");
    return d;
  }

  private static CarePlanActivityDetailComponent monitoring(PlannedActivity activity) {
    CarePlanActivityDetailComponent d = new CarePlanActivityDetailComponent();
    d.setCode(new CodeableConcept(new Coding(PLAN_ACTIVITY_SYSTEM, activity.code(), null)));
    for (RuleId rule : activity.rules()) {
      d.addReasonCode(new CodeableConcept(RiskAssessmentMapper.ruleCoding(rule)));
    }
    d.setStatus(CarePlanActivityStatus.NOTSTARTED);
    d.setScheduled(timing(activity.timing()));
    d.setDescription(activity.description());
    return d;
  }

  /** Dates become events; "every N minutes" a repeat; "at least N minutes" a duration; a course a bounds period. */
  static Timing timing(org.ketamineadvisor.advisor.careplan.Timing t) {
    Timing timing = new Timing();
    if (t.when() == org.ketamineadvisor.advisor.careplan.Timing.When.THROUGHOUT_COURSE) {
      timing.getRepeat().setBounds(period(t.first(), t.last()));
    } else {
      for (LocalDate date : t.dates()) {
        timing.getEvent().add(new DateTimeType(date.toString()));
      }
    }
    if (t.everyMinutes() != null) {
      timing.getRepeat().setFrequency(1).setPeriod(t.everyMinutes()).setPeriodUnit(UnitsOfTime.MIN);
    }
    if (t.minimumMinutes() != null) {
      timing.getRepeat().setDuration(t.minimumMinutes()).setDurationUnit(UnitsOfTime.MIN);
    }
    timing.setCode(new CodeableConcept().setText(t.text()));
    return timing;
  }

  private static Period period(LocalDate start, LocalDate end) {
    return new Period().setStartElement(new DateTimeType(start.toString()))
        .setEndElement(new DateTimeType(end.toString()));
  }
}
