package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.IdType;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.launch.EhrAccess;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every clinician page needs of the launch: the session's review of the launched patient, the EHR's access
 * token (asked of the EHR once per request, so the record reloader and the handler share one check and one refresh),
 * what the launch may read and write, and the clinician's name. One place, so the feature controllers stay small.
 */
@Component
class LaunchedPatients {

  private static final Logger log = LoggerFactory.getLogger(LaunchedPatients.class);
  private static final String TOKEN = LaunchedPatients.class.getName() + ".token";

  private final EhrAccess access;
  private final PatientWorkspace workspace;
  private final AssessmentMoment moment;

  LaunchedPatients(EhrAccess access, PatientWorkspace workspace, AssessmentMoment moment) {
    this.access = access;
    this.workspace = workspace;
    this.moment = moment;
  }

  /** The review of the launched patient in this session, with its record, if this launch read it already. */
  static Optional<PatientReview> review(HttpSession httpSession) {
    return SmartSession.in(httpSession).flatMap(s -> PatientReview.in(httpSession, s));
  }

  /**
   * The access token for {@code session}, asked of the EHR (and refreshed there when expired) at most once in this
   * request; throws {@link RelaunchNeededException} when only a new launch can help, again on every later call.
   */
  String token(SmartSession session, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    if (request.getAttribute(TOKEN) instanceof AskedOnce asked && java.util.Objects.equals(asked.launch(), session.correlationId())) {
      return asked.token();
    }
    AskedOnce asked;
    try {
      asked = new AskedOnce(session.correlationId(), access.accessToken(session, user, request, response), null);
    } catch (RelaunchNeededException e) {
      asked = new AskedOnce(session.correlationId(), null, e);
    }
    request.setAttribute(TOKEN, asked);
    return asked.token();
  }

  /** The EHR's answer for this request's launch: a token, or why a new launch is needed. Never shows the token. */
  private record AskedOnce(String launch, String value, RelaunchNeededException refused) {

    String token() {
      if (refused != null) {
        throw refused;
      }
      return value;
    }

    @Override
    public String toString() {
      return refused != null ? "refused" : "granted";
    }
  }

  /**
   * Reads the launched patient's record (and, alongside, the clinician's name from their fhirUser resource) and
   * starts the session's review of it; throws {@link FhirServerException} or {@link IllegalArgumentException} when the
   * record cannot be read.
   */
  PatientReview open(SmartSession session, String token, Authentication user, HttpSession httpSession) {
    String fhirBase = session.fhirBase().toString();
    String fhirUser = session.fhirUser() == null ? null : session.fhirUser().toString();
    // the fhirUser resource is read only on the launch's own server (a relative reference or one under it),
    // alongside the record
    boolean onThisServer = fhirUser != null && onServer(new IdType(fhirUser), fhirBase);
    CompletableFuture<Optional<String>> userName = onThisServer
        ? workspace.userNameLater(fhirBase, token, relative(fhirUser))
        : CompletableFuture.completedFuture(Optional.empty());
    OpenedPatient opened = workspace.open(launch(session, token));
    PatientReview fresh = new PatientReview(opened, session.correlationId());
    if (fhirUser != null) {
      fresh.clinicianName(userName.join().orElse(clinicianName(user, fhirUser)));
    }
    fresh.storeIn(httpSession);
    return fresh;
  }

  /**
   * Reads the record again for a review that arrived without it (from another instance through the shared session
   * store, or after a restart), keeping what the clinician did; false when it cannot be read (the page then starts
   * afresh and says why).
   */
  boolean reloadRecord(PatientReview review, SmartSession session, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    try {
      review.reopened(workspace.open(launch(session, token(session, user, request, response))));
      return true;
    } catch (RelaunchNeededException | FhirServerException | IllegalArgumentException e) {
      log.warn("Reading the record again on this instance failed: {}", e.getClass().getSimpleName());
      return false;
    }
  }

  /** Whether a reference is relative, or absolute under {@code fhirBase}. */
  private static boolean onServer(IdType reference, String fhirBase) {
    return !reference.hasBaseUrl() || stripSlash(reference.getBaseUrl()).equals(stripSlash(fhirBase));
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private PatientWorkspace.Launch launch(SmartSession session, String token) {
    return new PatientWorkspace.Launch(session.fhirBase().toString(), session.patientId(), token, moment.today(),
        chartAccess(session));
  }

  /** The review assessed with everything the clinician stated, entered and chose. */
  AssessedPatient assess(PatientReview review) {
    return workspace.assess(review.opened(), review.attestations(), review.entered(), review.planRequest());
  }

  /** What the page may offer with the launch's scopes. */
  static PatientPage.Access access(SmartSession session) {
    var granted = session.granted();
    return new PatientPage.Access(granted.canWriteBack(), granted.limitations(), granted.canCreate("Observation"),
        granted.canUpdate("CarePlan"), granted.canSearch("CarePlan"));
  }

  /** What of the app's own earlier writing the launch may look up in the chart. */
  static ChartAccess chartAccess(SmartSession session) {
    var granted = session.granted();
    // a patient opened from the clinic's list is read with user/ read scopes: its Goals are read to show the course,
    // and written only when the EHR granted writing them too
    boolean goals = granted.canSearch("Goal") && (granted.canCreate("Goal") && granted.canUpdate("Goal")
        || session.clinic() && !granted.canWriteBack());
    return new ChartAccess(granted.canSearch("CarePlan"), granted.canSearch("RiskAssessment"), goals,
        granted.canSearch("MedicationAdministration"));
  }

  /** The clinician's name from the EHR's id_token, else their FHIR reference without the server's address. */
  static String clinicianName(Authentication user, String fallback) {
    if (user != null && user.getPrincipal() instanceof OidcUser oidc
        && oidc.getFullName() != null && !oidc.getFullName().isBlank()) {
      return oidc.getFullName();
    }
    IdType id = new IdType(fallback);
    return id.hasResourceType() && id.hasIdPart() && !id.hasVersionIdPart() ? relative(fallback) : fallback;
  }

  /** "Practitioner/dr-ada" from "https://ehr.example/fhir/Practitioner/dr-ada/_history/2" (or itself when relative). */
  private static String relative(String reference) {
    IdType id = new IdType(reference);
    return id.hasResourceType() && id.hasIdPart() ? id.toUnqualifiedVersionless().getValue() : reference;
  }

  /** The page that asks for a new launch from the EHR. */
  static ModelAndView relaunch() {
    ModelAndView page = new ModelAndView("session-ended");
    page.setStatus(HttpStatus.UNAUTHORIZED);
    return page;
  }
}
