package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The files the clinician downloads: the unsigned plan as a FHIR Bundle for an EHR the app cannot write to, and the
 * signed plan's sessions as a calendar for the patient.
 */
@Controller
class DownloadsController {

  private static final String SESSION_ENDED = "The session has ended: launch the app again from the patient's chart.";

  private final LaunchedPatients patients;
  private final PatientWorkspace workspace;
  private final AssessmentMoment moment;

  DownloadsController(LaunchedPatients patients, PatientWorkspace workspace, AssessmentMoment moment) {
    this.patients = patients;
    this.workspace = workspace;
    this.moment = moment;
  }

  /**
   * The plan as an unsigned FHIR transaction Bundle, for EHRs the app cannot write to: by design the page's proposal,
   * not what is signed, so it says so (the CarePlan is a draft whose text begins "DRAFT (not signed)", and the file's
   * name) and is never offered as the signed plan.
   */
  @GetMapping(value = "/patient/plan.json")
  ResponseEntity<String> bundle(HttpSession httpSession) {
    Optional<PatientReview> review = LaunchedPatients.review(httpSession);
    if (review.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN).body(SESSION_ENDED);
    }
    AssessedPatient assessed = patients.assess(review.get());
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
    Optional<PatientReview> review = LaunchedPatients.review(httpSession);
    if (review.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN).body(SESSION_ENDED);
    }
    Optional<ExistingPlan> plan = review.get().opened().chart().currentPlan()
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
}
