package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The course of the signed plan (§ 8): the clinician confirms a follow-up result, which is then written to the chart. */
@Controller
class CourseController {

  private static final Logger log = LoggerFactory.getLogger(CourseController.class);

  private final LaunchedPatients patients;
  private final PatientWorkspace workspace;
  private final ValueSetTerminology terminology;
  private final UcumUnitConverter units;
  private final CourseSummaries courses;
  private final AssessmentMoment moment;

  CourseController(LaunchedPatients patients, PatientWorkspace workspace, ValueSetTerminology terminology,
      UcumUnitConverter units, CourseSummaries courses, AssessmentMoment moment) {
    this.patients = patients;
    this.workspace = workspace;
    this.terminology = terminology;
    this.units = units;
    this.courses = courses;
    this.moment = moment;
  }

  /**
   * The clinician confirms a follow-up (§ 8.3): the Goal's achievement and, when due, the plan's session series and
   * status are updated in one transaction with If-Match and a Provenance. Nothing is written without this.
   */
  @PostMapping("/patient/follow-up")
  String confirmFollowUp(HttpSession httpSession, Authentication user, HttpServletRequest request,
      HttpServletResponse response, RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    Optional<PatientReview> found = launched.flatMap(s -> PatientReview.in(httpSession, s));
    if (found.isEmpty()) {
      return "redirect:/patient";
    }
    SmartSession session = launched.get();
    PatientReview review = found.get();
    AssessedPatient assessed = patients.assess(review);
    List<ObservationRecord> charted = new ArrayList<>(review.opened().record().observations());
    VitalSignsSeries vitals = VitalSignsSeries.from(charted, review.opened().asOf(), terminology, units);
    if (!review.opened().readComplete()) {
      // as signing: nothing is written on a record read in part (the scores it would record may be missing)
      flash.addFlashAttribute("followUpProblems", List.of(CourseSummary.outcomeWithheld(review.opened())));
      return "redirect:/patient#course";
    }
    CourseSummary course = courses.of(review.opened(), assessed.assessment(), vitals);
    var plan = SignedCourse.plan(review.opened().chart());
    var goal = SignedCourse.goal(review.opened().chart());
    if (course == null || course.update() == null || course.recorded() || plan.isEmpty() || goal.isEmpty()) {
      flash.addFlashAttribute("followUpProblems", List.of("There is no follow-up result to record: the chart already "
          + "holds it, or no pain score falls in a follow-up window yet."));
      return "redirect:/patient#course";
    }
    if (session.fhirUser() == null || !session.granted().canUpdate("Goal") || !session.granted().canUpdate("CarePlan")) {
      flash.addFlashAttribute("followUpProblems", List.of("This EHR session may not update goals and care plans "
          + "(or did not say who you are): the follow-up cannot be recorded from here."));
      return "redirect:/patient#course";
    }
    String token;
    try {
      token = patients.token(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return "redirect:/patient";
    }
    ChartAccess chartAccess = LaunchedPatients.chartAccess(session);
    WriteResult result = workspace.recordFollowUp(review.opened(), plan.get(), goal.get(), course.update(),
        new PatientWorkspace.Signing(session.fhirUser().toString(), review.clinicianName(), moment.instant(),
            AppVersion.version(), token, chartAccess, null, true));
    if (result.succeeded()) {
      review.chartFound(workspace.chart(review.opened(), token, chartAccess));
      review.followUp(new PatientReview.SignOutcome(result.written().stream().map(WriteResult.Written::id).toList(),
          null, false));
      log.info("Follow-up recorded ({} resources)", result.written().size());
    } else {
      review.followUp(new PatientReview.SignOutcome(List.of(), result.failure(), result.uncertain()));
      log.warn(result.uncertain() ? "Follow-up write outcome unknown" : "Follow-up not recorded");
    }
    return "redirect:/patient#course";
  }
}
