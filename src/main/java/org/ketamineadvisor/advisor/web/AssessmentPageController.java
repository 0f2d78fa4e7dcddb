package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The clinician page of the launched patient — verdict and evidence, charts, attestations, the plan and its
 * signature, the course — and its printable summary. Reading the record happens here, on the first visit of a launch.
 */
@Controller
class AssessmentPageController {

  private static final Logger log = LoggerFactory.getLogger(AssessmentPageController.class);

  private final LaunchedPatients patients;
  private final ValueSetTerminology terminology;
  private final UcumUnitConverter units;
  private final SiteSettings site;
  private final CourseSummaries courses;

  AssessmentPageController(LaunchedPatients patients, ValueSetTerminology terminology, UcumUnitConverter units,
      SiteSettings site, CourseSummaries courses) {
    this.patients = patients;
    this.terminology = terminology;
    this.units = units;
    this.site = site;
    this.courses = courses;
  }

  @GetMapping("/patient")
  ModelAndView patient(@RequestParam(name = "reload", required = false) String reload, HttpSession httpSession,
      Authentication user, HttpServletRequest request, HttpServletResponse response) {
    return render("patient", reload != null, httpSession, user, request, response);
  }

  /**
   * The printable summary, opened in its own window from the page's Print link (printing inside the EHR's frame
   * cuts it short): the plan in force as the chart holds it, or the draft when nothing is signed.
   */
  @GetMapping("/patient/summary")
  ModelAndView summary(HttpSession httpSession, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    return render("summary", false, httpSession, user, request, response);
  }

  private ModelAndView render(String view, boolean reload, HttpSession httpSession, Authentication user,
      HttpServletRequest request, HttpServletResponse response) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return LaunchedPatients.relaunch();
    }
    SmartSession session = launched.get();
    ModelAndView page = new ModelAndView(view);
    page.addObject("limitations", session.granted().limitations());
    // the app's own banner is hidden only inside a frame of an EHR that shows its own (need_patient_banner false,
    // SMART App Launch); opened on its own (a CDS card's link) or when the EHR asks for it, the banner shows
    page.addObject("ehrShowsBanner", !session.needPatientBanner());
    page.addObject("readProblem", null);
    page.addObject("protocols", PatientPage.protocols());
    // every form carries the launch it was rendered for (CurrentLaunchCheck)
    page.addObject("launchId", session.correlationId());
    // a patient opened from the clinic's list links back to it
    page.addObject("fromClinic", session.clinic());
    // a review whose record could not be read again on this instance (see RecordReloader) starts afresh
    Optional<PatientReview> review = reload ? Optional.empty() : PatientReview.in(httpSession, session);
    // every render checks (and refreshes) the EHR's authorization, even when the record comes from the session:
    // once the EHR's grant has ended, the page shows nothing of the patient
    String token;
    try {
      token = patients.token(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return LaunchedPatients.relaunch();
    }
    PatientReview current;
    try {
      current = review.isPresent() ? review.get() : patients.open(session, token, user, httpSession);
    } catch (FhirServerException | IllegalArgumentException e) {
      log.warn("Reading the patient's record failed: {}", e.getClass().getSimpleName());
      page.addObject("readProblem", "The patient's record could not be read from the EHR, so nothing can be "
          + "assessed: " + e.getMessage() + ". Reload the page to try again; if it keeps failing, tell your EHR "
          + "support team.");
      page.setStatus(HttpStatus.BAD_GATEWAY);
      page.addObject("page", null);
      return page;
    }
    AssessedPatient assessed;
    try {
      assessed = patients.assess(current);
    } catch (IllegalArgumentException e) {
      // a plan choice that became invalid (e.g. a start date now in the past): fall back to the defaults
      current.choosePlan(PlanRequest.defaults());
      page.addObject("planProblems", List.of(e.getMessage()));
      assessed = patients.assess(current);
    }
    addPatient(page, session, current, assessed);
    return page;
  }

  /** The model of a page whose record was read: the page itself, its printout, the course and the plan form. */
  private void addPatient(ModelAndView page, SmartSession session, PatientReview current, AssessedPatient assessed) {
    // the values the clinician entered are readings like any recorded one: charted with them
    List<ObservationRecord> charted = new ArrayList<>(current.opened().record().observations());
    assessed.assessment().enteredValues().forEach(v -> charted.addAll(v.observations()));
    VitalSignsSeries vitals = VitalSignsSeries.from(charted, current.opened().asOf(), terminology, units);
    PatientPage shown = PatientPage.of(current.opened(), assessed, vitals, LaunchedPatients.access(session),
        current.signed(), current.editing(), current.revising());
    page.addObject("page", shown);
    // what a printout renders: the plan in force as the chart holds it once signed, the proposal only as the draft
    page.addObject("printed", PrintedPlan.of(shown));
    page.addObject("course", courses.of(current.opened(), assessed.assessment(), vitals));
    page.addObject("followUpResult", current.followUp());
    page.addObject("patient", current.opened().banner());
    page.addObject("appVersion", AppVersion.version());
    page.addObject("ruleSet", Canonicals.RULE_SET + " v" + Canonicals.RULE_SET_VERSION);
    page.addObject("planRequest", current.planRequest());
    page.addObject("fhirUser", session.fhirUser());
    page.addObject("clinicianName", current.clinicianName());
    page.addObject("site", site.inWords());
  }
}
