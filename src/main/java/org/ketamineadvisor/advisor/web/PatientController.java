package org.ketamineadvisor.advisor.web;

import org.ketamineadvisor.advisor.workspace.AssessmentMoment;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.ProtocolId;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.launch.EhrAccess;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The clinician page of the launched patient: verdict and evidence, charts, attestations, the plan, signing and
 * write-back, and the download and printable summary when the EHR cannot take a write-back.
 */
@Controller
class PatientController {

  private static final Logger log = LoggerFactory.getLogger(PatientController.class);
  private static final int MAX_REASON = 500;

  private final EhrAccess access;
  private final PatientWorkspace workspace;
  private final ValueSetTerminology terminology;
  private final UcumUnitConverter units;
  private final org.ketamineadvisor.advisor.careplan.SiteSettings site;
  private final org.ketamineadvisor.advisor.course.InfusionDayCheck dayCheck;
  private final AssessmentMoment moment;

  PatientController(EhrAccess access, PatientWorkspace workspace,
      ValueSetTerminology terminology, UcumUnitConverter units,
      org.ketamineadvisor.advisor.careplan.SiteSettings site, AssessmentMoment moment) {
    this.site = site;
    this.dayCheck = new org.ketamineadvisor.advisor.course.InfusionDayCheck(terminology, units, site);
    this.access = access;
    this.workspace = workspace;
    this.terminology = terminology;
    this.units = units;
    this.moment = moment;
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

  @PostMapping("/patient/attest")
  String attest(@RequestParam("rule") String ruleId, @RequestParam(name = "outcome", required = false) String outcome,
      @RequestParam(name = "reason", required = false) String reason, HttpSession httpSession,
      RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    Optional<PatientReview> review = launched.flatMap(s -> PatientReview.in(httpSession, s));
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    RuleId rule = ruleById(ruleId);
    List<String> problems = new ArrayList<>();
    if (rule == null) {
      problems.add("Unknown rule '" + ruleId + "': reload the page and try again.");
    } else if (rule.category() == RuleId.Category.DATA) {
      problems.add("\"" + rule.title() + "\" is settled by entering the value measured, with its date and time.");
    }
    Outcome settled = null;
    if (outcome == null || outcome.isBlank()) {
      problems.add("Choose what you attest.");
    } else {
      try {
        settled = Outcome.fromCode(outcome);
        if (settled == Outcome.UNKNOWN) {
          problems.add("An attestation settles the question: choose one of the answers.");
        }
      } catch (IllegalArgumentException e) {
        problems.add("Choose one of the answers offered.");
      }
    }
    if (reason == null || reason.isBlank()) {
      problems.add("Give the reason for your attestation (for example where the information comes from).");
    } else if (reason.length() > MAX_REASON) {
      problems.add("Keep the reason under " + MAX_REASON + " characters.");
    }
    if (!problems.isEmpty()) {
      flash.addFlashAttribute("attestRule", ruleId);
      flash.addFlashAttribute("attestProblems", problems);
      flash.addFlashAttribute("attestReason", reason);
      return "redirect:/patient#unknowns";
    }
    SmartSession session = launched.get();
    String author = review.get().clinicianName() != null ? review.get().clinicianName()
        : session.fhirUser() != null ? session.fhirUser().toString() : "the signed-in clinician";
    review.get().attest(new Attestation(rule, settled, author, reason.strip(), moment.instant()));
    flash.addFlashAttribute("notice", "Your statement on \"" + rule.title() + "\" is recorded; the verdict was "
        + "recomputed.");
    return "redirect:/patient#verdict";
  }

  /** A value the clinician entered to settle a data rule (CLINICAL-RULES § 2.4 by value); every rule reads it. */
  @PostMapping("/patient/enter")
  String enter(@RequestParam("rule") String ruleId, @RequestParam java.util.Map<String, String> form,
      HttpSession httpSession, Authentication user, RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    Optional<PatientReview> review = launched.flatMap(s -> PatientReview.in(httpSession, s));
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    SmartSession session = launched.get();
    String author = session.fhirUser() != null ? session.fhirUser().toString() : "the signed-in clinician";
    String name = review.get().clinicianName() != null ? review.get().clinicianName() : clinicianName(user, author);
    EnteredValueForm parsed = EnteredValueForm.parse(ruleById(ruleId), form, review.get().opened().asOf(),
        moment.instant(), author, name);
    if (!parsed.problems().isEmpty()) {
      flash.addFlashAttribute("attestRule", ruleId);
      flash.addFlashAttribute("attestProblems", parsed.problems());
      flash.addFlashAttribute("entryForm", form);
      return "redirect:/patient#unknowns";
    }
    review.get().enter(parsed.value());
    flash.addFlashAttribute("notice", "The value you entered (" + parsed.value().describe() + ") is recorded; every "
        + "rule read it and the verdict was recomputed. It is written to the chart when you sign.");
    return "redirect:/patient#verdict";
  }

  /** Starts revising the signed plan (or re-assessing a signed decision): the plan can be changed and signed again. */
  @PostMapping("/patient/revise")
  String revise(HttpSession httpSession, RedirectAttributes flash) {
    Optional<PatientReview> review = review(httpSession);
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
    review(httpSession).ifPresent(PatientReview::endRevision);
    return "redirect:/patient#verdict";
  }

  @PostMapping("/patient/plan")
  String plan(@RequestParam(name = "protocol", required = false) String protocol,
      @RequestParam(name = "start", required = false) String start,
      @RequestParam(name = "sessions", required = false) String sessions, HttpSession httpSession,
      RedirectAttributes flash) {
    Optional<PatientReview> review = review(httpSession);
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
      return relaunch();
    }
    SmartSession session = launched.get();
    Optional<PatientReview> found = PatientReview.in(httpSession, session);
    if (found.isEmpty()) {
      return new ModelAndView("redirect:/patient");
    }
    PatientReview review = found.get();
    AssessedPatient assessed = workspace.assess(review.opened(), review.attestations(), review.entered(),
        review.planRequest());
    PatientPage page = PatientPage.of(review.opened(), assessed, VitalSignsSeries.from(List.of(), terminology, units),
        access(session), review.signed(), review.editing(), review.revising());
    if (!page.sign().canSign()) {
      List<String> why = new ArrayList<>(page.sign().notYet());
      why.addAll(page.sign().cannotWrite());
      flash.addFlashAttribute("signProblems", why.isEmpty() ? List.of("This assessment has already been signed.") : why);
      return new ModelAndView("redirect:/patient#sign");
    }
    if (page.sign().confirmNoActivePlan() && confirmNoActivePlan == null) {
      flash.addFlashAttribute("signProblems", List.of("This EHR session may not search care plans, so the app cannot "
          + "see whether a ketamine plan is already active: check the chart and tick the confirmation before signing."));
      return new ModelAndView("redirect:/patient#sign");
    }
    if (session.fhirUser() == null) {
      flash.addFlashAttribute("signProblems", List.of("The EHR did not say who you are (no fhirUser), so the plan "
          + "cannot be signed in your name. Launch the app again from the EHR."));
      return new ModelAndView("redirect:/patient#sign");
    }
    String token;
    try {
      token = access.accessToken(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return relaunch();
    }
    ChartAccess chartAccess = chartAccess(session);
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

  /**
   * The plan as an unsigned FHIR transaction Bundle, for EHRs the app cannot write to: by design the page's proposal,
   * not what is signed, so it says so (the CarePlan is a draft whose text begins "DRAFT (not signed)", and the file's
   * name) and is never offered as the signed plan.
   */
  @GetMapping(value = "/patient/plan.json")
  ResponseEntity<String> bundle(HttpSession httpSession) {
    Optional<PatientReview> review = review(httpSession);
    if (review.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN)
          .body("The session has ended: launch the app again from the patient's chart.");
    }
    AssessedPatient assessed = workspace.assess(review.get().opened(), review.get().attestations(),
        review.get().entered(), review.get().planRequest());
    String json = workspace.draftBundleJson(assessed, moment.instant(), AppVersion.version());
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ketamine-plan-draft-unsigned.json\"")
        .contentType(MediaType.parseMediaType("application/fhir+json")).body(json);
  }

  /**
   * The signed plan's sessions and follow-ups as an iCalendar file for the patient. Only a signed plan in the chart
   * is offered: nothing unsigned is handed to a patient.
   */
  @GetMapping(value = "/patient/plan.ics")
  ResponseEntity<String> calendar(HttpSession httpSession) {
    Optional<PatientReview> review = review(httpSession);
    if (review.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN)
          .body("The session has ended: launch the app again from the patient's chart.");
    }
    Optional<org.ketamineadvisor.advisor.fhir.chart.ExistingPlan> plan = review.get().opened().chart().currentPlan()
        .filter(p -> "active".equals(p.status()) && !p.sessions().isEmpty());
    if (plan.isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
          .body("There is no signed plan with session dates in the chart: sign the plan first; the calendar is made "
              + "from the plan in force.");
    }
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ketamine-sessions.ics\"")
        .contentType(MediaType.parseMediaType("text/calendar; charset=utf-8")).body(PatientCalendar.ics(plan.get()));
  }

  private ModelAndView render(String view, boolean reload, HttpSession httpSession, Authentication user,
      HttpServletRequest request, HttpServletResponse response) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return relaunch();
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
    String fhirBase = session.fhirBase().toString();
    // a review whose record could not be read again on this instance (see RecordReloader) starts afresh
    Optional<PatientReview> review = reload ? Optional.empty() : PatientReview.in(httpSession, session);
    // every render checks (and refreshes) the EHR's authorization, even when the record comes from the session:
    // once the EHR's grant has ended, the page shows nothing of the patient
    String token;
    try {
      token = access.accessToken(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return relaunch();
    }
    if (review.isEmpty()) {
      try {
        String fhirUser = session.fhirUser() == null ? null : session.fhirUser().toString();
        // the fhirUser resource is read only on the launch's own server (a relative reference or one under it),
        // alongside the record
        boolean onThisServer = fhirUser != null && (!fhirUser.contains("://") || fhirUser.startsWith(fhirBase));
        java.util.concurrent.CompletableFuture<Optional<String>> userName = onThisServer
            ? workspace.userNameLater(fhirBase, token, relative(fhirUser))
            : java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
        OpenedPatient opened = workspace.open(new PatientWorkspace.Launch(fhirBase, session.patientId(), token,
            moment.today(), chartAccess(session)));
        PatientReview fresh = new PatientReview(opened, session.correlationId());
        if (fhirUser != null) {
          fresh.clinicianName(userName.join().orElse(clinicianName(user, fhirUser)));
        }
        fresh.storeIn(httpSession);
        review = Optional.of(fresh);
      } catch (FhirServerException | IllegalArgumentException e) {
        log.warn("Reading the patient's record failed: {}", e.getClass().getSimpleName());
        page.addObject("readProblem", "The patient's record could not be read from the EHR, so nothing can be "
            + "assessed: " + e.getMessage() + ". Reload the page to try again; if it keeps failing, tell your EHR "
            + "support team.");
        page.setStatus(HttpStatus.BAD_GATEWAY);
        page.addObject("page", null);
        return page;
      }
    }
    PatientReview current = review.get();
    AssessedPatient assessed;
    try {
      assessed = workspace.assess(current.opened(), current.attestations(), current.entered(), current.planRequest());
    } catch (IllegalArgumentException e) {
      // a plan choice that became invalid (e.g. a start date now in the past): fall back to the defaults
      current.choosePlan(PlanRequest.defaults());
      page.addObject("planProblems", List.of(e.getMessage()));
      assessed = workspace.assess(current.opened(), current.attestations(), current.entered(), current.planRequest());
    }
    // the values the clinician entered are readings like any recorded one: charted with them
    List<org.ketamineadvisor.advisor.assessment.ObservationRecord> charted = new ArrayList<>(
        current.opened().record().observations());
    assessed.assessment().enteredValues().forEach(v -> charted.addAll(v.observations()));
    VitalSignsSeries vitals = VitalSignsSeries.from(charted, current.opened().asOf(), terminology, units);
    PatientPage shown = PatientPage.of(current.opened(), assessed, vitals, access(session), current.signed(),
        current.editing(), current.revising());
    page.addObject("page", shown);
    // what a printout renders: the plan in force as the chart holds it once signed, the proposal only as the draft
    page.addObject("printed", PrintedPlan.of(shown));
    page.addObject("course", course(current.opened(), assessed.assessment(), vitals));
    page.addObject("followUpResult", current.followUp());
    page.addObject("patient", current.opened().banner());
    page.addObject("appVersion", AppVersion.version());
    page.addObject("ruleSet", org.ketamineadvisor.advisor.fhir.writing.Canonicals.RULE_SET + " v"
        + org.ketamineadvisor.advisor.fhir.writing.Canonicals.RULE_SET_VERSION);
    page.addObject("planRequest", current.planRequest());
    page.addObject("fhirUser", session.fhirUser());
    page.addObject("clinicianName", current.clinicianName());
    page.addObject("site", site.inWords());
    return page;
  }

  /** The course of the signed plan in force (§ 8), or null when there is none. */
  private CourseSummary course(org.ketamineadvisor.advisor.workspace.OpenedPatient opened,
      org.ketamineadvisor.advisor.assessment.Assessment today, VitalSignsSeries vitals) {
    var signed = opened.chart().signed();
    if (signed == null || signed.asOf() == null
        || org.ketamineadvisor.advisor.fhir.chart.SignedCourse.plan(opened.chart()).isEmpty()) {
      return null;
    }
    var baseline = workspace.assessmentAsOf(opened, signed.asOf()).painBaseline();
    List<org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain> pain = vitals.pain().stream()
        .map(p -> new org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain(p.date(), p.value(), p.reference()))
        .toList();
    return CourseSummary.of(opened, today, baseline, pain, dayCheck, moment.now());
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
    AssessedPatient assessed = workspace.assess(review.opened(), review.attestations(), review.entered(),
        review.planRequest());
    List<org.ketamineadvisor.advisor.assessment.ObservationRecord> charted = new ArrayList<>(
        review.opened().record().observations());
    VitalSignsSeries vitals = VitalSignsSeries.from(charted, review.opened().asOf(), terminology, units);
    CourseSummary course = course(review.opened(), assessed.assessment(), vitals);
    var plan = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.plan(review.opened().chart());
    var goal = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.goal(review.opened().chart());
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
      token = access.accessToken(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return "redirect:/patient";
    }
    ChartAccess chartAccess = chartAccess(session);
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

  private static PatientPage.Access access(SmartSession session) {
    var granted = session.granted();
    return new PatientPage.Access(granted.canWriteBack(), granted.limitations(), granted.canCreate("Observation"),
        granted.canUpdate("CarePlan"), granted.canSearch("CarePlan"));
  }

  private static ChartAccess chartAccess(SmartSession session) {
    var granted = session.granted();
    return new ChartAccess(granted.canSearch("CarePlan"), granted.canSearch("RiskAssessment"),
        granted.canSearch("Goal") && granted.canCreate("Goal") && granted.canUpdate("Goal"),
        granted.canSearch("MedicationAdministration"));
  }

  /** The clinician's name from the EHR's id_token, else their FHIR reference without the server's address. */
  private static String clinicianName(Authentication user, String fallback) {
    if (user != null && user.getPrincipal() instanceof org.springframework.security.oauth2.core.oidc.user.OidcUser oidc
        && oidc.getFullName() != null && !oidc.getFullName().isBlank()) {
      return oidc.getFullName();
    }
    java.util.regex.Matcher relative = java.util.regex.Pattern.compile("([A-Z][A-Za-z]+/[A-Za-z0-9.-]+)$")
        .matcher(fallback);
    return relative.find() ? relative.group(1) : fallback;
  }

  /** "Practitioner/dr-ada" from "https://ehr.example/fhir/Practitioner/dr-ada" (or itself when relative). */
  private static String relative(String reference) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Z][A-Za-z]+/[A-Za-z0-9.-]+)(/_history/.*)?$")
        .matcher(reference);
    return m.find() ? m.group(1) : reference;
  }

  /**
   * Reads the record again for a review that arrived without it (from another instance through the shared session
   * store, or after a restart), keeping what the clinician did; false when it cannot be read (the page then starts
   * afresh and says why).
   */
  boolean reloadRecord(PatientReview review, SmartSession session, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    try {
      String token = access.accessToken(session, user, request, response);
      review.reopened(workspace.open(new PatientWorkspace.Launch(session.fhirBase().toString(), session.patientId(),
          token, moment.today(), chartAccess(session))));
      return true;
    } catch (RelaunchNeededException | FhirServerException | IllegalArgumentException e) {
      log.warn("Reading the record again on this instance failed: {}", e.getClass().getSimpleName());
      return false;
    }
  }


  private static Optional<PatientReview> review(HttpSession httpSession) {
    return SmartSession.in(httpSession).flatMap(s -> PatientReview.in(httpSession, s));
  }

  private static RuleId ruleById(String id) {
    for (RuleId rule : RuleId.values()) {
      if (rule.id().equals(id)) {
        return rule;
      }
    }
    return null;
  }

  private static ModelAndView relaunch() {
    ModelAndView page = new ModelAndView("session-ended");
    page.setStatus(HttpStatus.UNAUTHORIZED);
    return page;
  }

  /** The plan form, validated: the request, or what to correct. */
  record PlanForm(PlanRequest request, List<String> problems) {

    static PlanForm parse(String protocol, String start, String sessions, LocalDate asOf) {
      List<String> problems = new ArrayList<>();
      ProtocolId chosen = null;
      if (protocol != null && !protocol.isBlank()) {
        try {
          chosen = ProtocolId.fromId(protocol);
        } catch (IllegalArgumentException e) {
          problems.add("Choose one of the protocols offered.");
        }
      }
      LocalDate first = null;
      if (start != null && !start.isBlank()) {
        try {
          first = LocalDate.parse(start.strip());
          if (first.isBefore(asOf)) {
            problems.add("The first session cannot be before the assessment date " + asOf + ": choose " + asOf
                + " or later.");
          } else if (first.isAfter(asOf.plusDays(365))) {
            problems.add("The first session must be within a year of the assessment (by " + asOf.plusDays(365)
                + "): the assessment would be out of date by then.");
          }
        } catch (DateTimeParseException e) {
          problems.add("The start date '" + start + "' is not a date: use the form YYYY-MM-DD.");
        }
      }
      Integer count = null;
      if (sessions != null && !sessions.isBlank()) {
        try {
          count = Integer.valueOf(sessions.strip());
          if (count < 1 || count > PlanRequest.MAX_SESSIONS) {
            problems.add("The number of sessions must be between 1 and " + PlanRequest.MAX_SESSIONS + ".");
          }
        } catch (NumberFormatException e) {
          problems.add("The number of sessions '" + sessions + "' is not a whole number.");
        }
      }
      return problems.isEmpty() ? new PlanForm(new PlanRequest(chosen, first, count), List.of())
          : new PlanForm(null, problems);
    }
  }
}
