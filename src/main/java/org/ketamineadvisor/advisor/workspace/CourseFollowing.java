package org.ketamineadvisor.advisor.workspace;

import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.course.CoursePlan;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.course.InfusionDayCheck;
import org.ketamineadvisor.advisor.course.PainScores;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The course after signing (§ 8) of an opened patient, as every door asks for it: its progress as data and the
 * infusion-day check. Both refuse ({@link CourseUnreadable}) when a read they rest on failed, rather than count
 * sessions or follow-ups from a partial chart.
 */
final class CourseFollowing {

  private final PatientWorkspace workspace;
  private final ValueSetTerminology terminology;
  private final UnitConverter units;
  private final SiteSettings site;

  CourseFollowing(PatientWorkspace workspace, ValueSetTerminology terminology, UnitConverter units,
      SiteSettings site) {
    this.workspace = workspace;
    this.terminology = terminology;
    this.units = units;
    this.site = site;
  }

  CourseProgress progress(OpenedPatient opened, java.time.LocalDate today) {
    ChartState chart = courseRead(opened);
    Optional<CoursePlan> course = signedCourse(chart);
    if (course.isEmpty()) {
      return CourseProgress.noCourse();
    }
    ExistingPlan plan = SignedCourse.plan(chart).orElseThrow();
    var baseline = workspace.assessmentAsOf(opened, course.get().signedAsOf()).painBaseline();
    return CourseProgress.of(course.get(), "completed".equals(plan.status()), chart.administrations(), baseline,
        PainScores.of(opened.record().observations(), terminology), today);
  }

  Optional<DayCheck> dayCheck(OpenedPatient opened, AssessmentMoment moment) {
    ChartState chart = courseRead(opened);
    Optional<CoursePlan> course = signedCourse(chart);
    if (course.isEmpty()) {
      return Optional.empty();
    }
    Assessment today = workspace.assess(opened, List.of(), PlanRequest.defaults()).assessment();
    InfusionDayCheck checker = new InfusionDayCheck(terminology, units, site.withTimeZone(moment.zone()));
    return Optional.of(checker.check(course.get(), today.patient(), opened.record().observations(),
        chart.administrations(), SignedCourse.contraindications(today), moment.now()));
  }

  /**
   * The course of the plan this app wrote, active or completed; empty only when there is no such plan. A plan the
   * course cannot be built from (no session days, no dose, no signed assessment) is refused, never "no course".
   */
  private static Optional<CoursePlan> signedCourse(ChartState chart) {
    Optional<String> why = SignedCourse.unfollowable(chart);
    if (why.isPresent()) {
      throw new CourseUnreadable("the course cannot be followed: " + why.get());
    }
    return SignedCourse.of(chart);
  }

  /**
   * The chart, when its plans, signed assessment, Goals and administrations and the whole record were read: a
   * record read in part would leave the pain scores and the baseline (progress) or the conditions and medications
   * that DAY-NEW-CONTRAINDICATION re-checks (day check) unknown, and unknown is never "none" nor "not met".
   */
  private static ChartState courseRead(OpenedPatient opened) {
    if (!opened.readComplete()) {
      throw new CourseUnreadable("the record could not be read completely ("
          + String.join("; ", opened.readProblems().stream().map(p -> p.resourceType() + ": " + p.reason())
              .toList()) + "): the pain scores, the baseline and the contraindications re-checked today may be "
          + "missing");
    }
    ChartState chart = opened.chart();
    if (!chart.checked()) {
      throw new CourseUnreadable("the course could not be read: " + chart.problem());
    }
    if (chart.courseProblem() != null) {
      throw new CourseUnreadable("the course could not be read: " + chart.courseProblem());
    }
    // never two active plans (§ 8): which one a session follows is the clinician's to resolve, not the app's to guess
    List<String> active = chart.currentPlans().stream().filter(p -> "active".equals(p.status()))
        .map(ExistingPlan::id).toList();
    if (active.size() > 1) {
      throw new CourseUnreadable("patient " + opened.patientId() + " has " + active.size()
          + " active ketamine plans: " + String.join(", ", active) + "; resolve in the EHR (only one may be active)");
    }
    return chart;
  }
}
