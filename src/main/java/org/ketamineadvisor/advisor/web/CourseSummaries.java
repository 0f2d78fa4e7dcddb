package org.ketamineadvisor.advisor.web;

import java.util.List;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.InfusionDayCheck;
import org.ketamineadvisor.advisor.course.OutcomeCalculator;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.springframework.stereotype.Component;

/** The course of the signed plan in force (§ 8), as the page shows it and as a confirmed follow-up records it. */
@Component
class CourseSummaries {

  private final PatientWorkspace workspace;
  private final InfusionDayCheck dayCheck;
  private final AssessmentMoment moment;

  CourseSummaries(PatientWorkspace workspace, ValueSetTerminology terminology, UcumUnitConverter units,
      SiteSettings site, AssessmentMoment moment) {
    this.workspace = workspace;
    this.dayCheck = new InfusionDayCheck(terminology, units, site);
    this.moment = moment;
  }

  /** The course of the signed plan in force, or null when there is none. */
  CourseSummary of(OpenedPatient opened, Assessment today, VitalSignsSeries vitals) {
    // the assessment the plan rests on: its date decides the baseline, whatever was signed after it
    var signed = SignedCourse.assessment(opened.chart()).orElse(null);
    if (signed == null || signed.asOf() == null || SignedCourse.plan(opened.chart()).isEmpty()) {
      return null;
    }
    var baseline = workspace.assessmentAsOf(opened, signed.asOf()).painBaseline();
    List<OutcomeCalculator.Pain> pain = vitals.pain().stream()
        .map(p -> new OutcomeCalculator.Pain(p.date(), p.value(), p.reference()))
        .toList();
    return CourseSummary.of(opened, today, baseline, pain, dayCheck, moment.now());
  }
}
