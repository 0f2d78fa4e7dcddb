package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The plan and its signature: choosing the protocol and dates, revising what is signed (or cancelling the
 * revision), and signing, which writes the assessment and plan back to the chart and shows what the chart then holds.
 */
@Controller
class PlanController {

  private static final Logger log = LoggerFactory.getLogger(PlanController.class);

  private final LaunchedPatients patients;
  private final PatientWorkspace workspace;
  private final ValueSetTerminology terminology;
  private final UcumUnitConverter units;
  private final AssessmentMoment moment;

  PlanController(LaunchedPatients patients, PatientWorkspace workspace, ValueSetTerminology terminology,
      UcumUnitConverter units, AssessmentMoment moment) {
    this.patients = patients;
    this.workspace = workspace;
    this.terminology = terminology;
    this.units = units;
    this.moment = moment;
  }

  /** Starts revising the signed plan (or re-assessing a signed decision): the plan can be changed and signed again. */
  @PostMapping("/patient/revise")
  String revise(HttpSession httpSession, RedirectAttributes flash) {
    Optional<PatientReview> review = LaunchedPatients.review(httpSession);
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    review.get().revise(review.get().opened().chart().currentPlan().orElse(null));
    flash.addFlashAttribute("notice", "Revising: change what is needed and sign. The signed plan stays in force until "
        + "the revision is signed, which replaces it.");
    return "redirect:/patient#plan";
  }

  @PostMapping("/patient/revise/cancel")
  String cancelRevision(HttpSession httpSession) {
    LaunchedPatients.review(httpSession).ifPresent(PatientReview::endRevision);
    return "redirect:/patient#verdict";
  }

  @PostMapping("/patient/plan")
  String plan(@RequestParam(name = "protocol", required = false) String protocol,
      @RequestParam(name = "start", required = false) String start,
      @RequestParam(name = "sessions", required = false) String sessions, HttpSession httpSession,
      RedirectAttributes flash) {
    Optional<PatientReview> review = LaunchedPatients.review(httpSession);
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    if (!review.get().editing() && review.get().opened().chart().currentPlan().isPresent()) {
      flash.addFlashAttribute("planProblems", List.of("The plan is signed and read-only: choose \"Revise the signed "
          + "plan\" to change it."));
      return "redirect:/patient#plan";
    }
    PlanForm form = PlanForm.parse(protocol, start, sessions, review.get().opened().asOf());
    if (!form.problems().isEmpty()) {
      flash.addFlashAttribute("planProblems", form.problems());
      return "redirect:/patient#plan";
    }
    review.get().choosePlan(form.request());
    if (review.get().revising() != null) {
      // the revised course is compared with the plan in force at the top, beside the signature
      flash.addFlashAttribute("notice", "The revised plan was updated: compare it with the plan in force, then sign.");
      return "redirect:/patient#verdict";
    }
    flash.addFlashAttribute("notice", "The plan was updated.");
    return "redirect:/patient#plan";
  }

  @PostMapping("/patient/sign")
  ModelAndView sign(@RequestParam(name = "confirmNoActivePlan", required = false) String confirmNoActivePlan,
      HttpSession httpSession, Authentication user, HttpServletRequest request, HttpServletResponse response,
      RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return LaunchedPatients.relaunch();
    }
    SmartSession session = launched.get();
    Optional<PatientReview> found = PatientReview.in(httpSession, session);
    if (found.isEmpty()) {
      return new ModelAndView("redirect:/patient");
    }
    PatientReview review = found.get();
    AssessedPatient assessed = patients.assess(review);
    PatientPage page = PatientPage.of(review.opened(), assessed, VitalSignsSeries.from(List.of(), terminology, units),
        LaunchedPatients.access(session), review.signed(), review.editing(), review.revising());
    List<String> notYet = whyNotSign(page, confirmNoActivePlan != null, session);
    if (!notYet.isEmpty()) {
      flash.addFlashAttribute("signProblems", notYet);
      return new ModelAndView("redirect:/patient#sign");
    }
    String token;
    try {
      token = patients.token(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return LaunchedPatients.relaunch();
    }
    ChartAccess chartAccess = LaunchedPatients.chartAccess(session);
    WriteResult result = workspace.sign(review.opened(), assessed, new PatientWorkspace.Signing(
        session.fhirUser().toString(), review.clinicianName(), moment.instant(), AppVersion.version(), token, chartAccess,
        review.revising(), confirmNoActivePlan != null));
    if (result.succeeded()) {
      review.recordSigning(new PatientReview.SignOutcome(
          result.written().stream().map(WriteResult.Written::id).toList(), null, false));
      // the page now shows what the chart holds, read back from the server, not what the app believes it wrote
      review.chartFound(workspace.chart(review.opened(), token, chartAccess));
      review.endRevision();
      log.info("Signed assessment written back ({} resources{})", result.written().size(),
          result.note() == null ? "" : ", confirmed by looking it up after a lost answer");
      // signed: the verdict and the plan now in force, at the top of the page
      return new ModelAndView("redirect:/patient#verdict");
    } else {
      review.recordSigning(new PatientReview.SignOutcome(List.of(), result.failure(), result.uncertain()));
      log.warn(result.uncertain() ? "Write-back outcome unknown: the answer was lost and the server could not be checked"
          : "Write-back not done");
    }
    return new ModelAndView("redirect:/patient#sign");
  }

  /** Why the assessment cannot be signed now (empty when it can), in the order the clinician must see to it. */
  private static List<String> whyNotSign(PatientPage page, boolean confirmedNoActivePlan, SmartSession session) {
    if (!page.sign().canSign()) {
      List<String> why = new ArrayList<>(page.sign().notYet());
      why.addAll(page.sign().cannotWrite());
      return why.isEmpty() ? List.of("This assessment has already been signed.") : why;
    }
    if (page.sign().confirmNoActivePlan() && !confirmedNoActivePlan) {
      return List.of("This EHR session may not search care plans, so the app cannot see whether a ketamine plan is "
          + "already active: check the chart and tick the confirmation before signing.");
    }
    if (session.fhirUser() == null) {
      return List.of("The EHR did not say who you are (no fhirUser), so the plan cannot be signed in your name. "
          + "Launch the app again from the EHR.");
    }
    return List.of();
  }
}
