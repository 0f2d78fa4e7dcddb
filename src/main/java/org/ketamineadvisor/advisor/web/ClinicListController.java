package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.launch.GrantedScopes;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.ClinicDay;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The clinic's list ({@code /clinic}): the page a launch without a patient opens — every active course of this app,
 * grouped for the day — and opening one of its rows ({@code POST /clinic/open}), which turns the session to that
 * patient as a launch of its own and shows the patient's page.
 */
@Controller
class ClinicListController {

  static final String PATH = ClinicSessionCheck.CLINIC_PATH;
  /** Patients opened side by side for one list (each open runs its own parallel requests). */
  static final int PARALLEL_OPENS = 8;
  private static final Logger log = LoggerFactory.getLogger(ClinicListController.class);

  private final LaunchedPatients patients;
  private final ClinicDay clinicDay;
  private final AssessmentMoment moment;

  ClinicListController(LaunchedPatients patients, PatientWorkspace workspace, FhirConnections connections,
      AssessmentMoment moment) {
    this.patients = patients;
    this.clinicDay = new ClinicDay(workspace, connections.requests(), moment, PARALLEL_OPENS);
    this.moment = moment;
  }

  @GetMapping(PATH)
  ModelAndView list(HttpSession httpSession, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return LaunchedPatients.relaunch();
    }
    SmartSession session = launched.get();
    if (!session.clinic()) {
      // launched for one patient: that patient's page is the app
      return new ModelAndView("redirect:/patient");
    }
    String token;
    try {
      token = patients.token(session, user, request, response);
    } catch (RelaunchNeededException e) {
      return LaunchedPatients.relaunch();
    }
    GrantedScopes granted = session.granted();
    ClinicPage shown;
    if (!ClinicScopes.canList(granted)) {
      List<String> problems = new ArrayList<>();
      problems.add(ClinicScopes.cannotList());
      problems.addAll(ClinicScopes.limitations(granted));
      shown = ClinicPage.unreadable(moment.today(), problems);
    } else {
      long started = System.nanoTime();
      ClinicDay.Day day = clinicDay.read(session.fhirBase().toString(), token, ClinicScopes.chartAccess(granted),
          ClinicScopes.canOpenRows(granted));
      shown = ClinicPage.of(day, moment.zone(), ClinicScopes.limitations(granted));
      log.info("Clinic's list: {} active courses read in {} ms", day.rows().size(),
          (System.nanoTime() - started) / 1_000_000);
    }
    ModelAndView page = new ModelAndView("clinic");
    page.addObject("clinic", shown);
    page.addObject("canOpen", ClinicScopes.canOpenRows(granted));
    page.addObject("launchId", session.correlationId());
    if (!shown.complete()) {
      page.setStatus(ClinicScopes.canList(granted) ? HttpStatus.OK : HttpStatus.FORBIDDEN);
    }
    return page;
  }

  /**
   * Opens one row's patient: the session turns to that patient as a new launch (a form of a page rendered before is
   * then refused as out of date), the previous patient's review is dropped, and the patient's page reads the record.
   */
  @PostMapping(PATH + "/open")
  ModelAndView open(@RequestParam String patient, HttpSession httpSession, HttpServletRequest request) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return LaunchedPatients.relaunch();
    }
    SmartSession session = launched.get();
    if (!session.clinic() || !ClinicScopes.canOpenRows(session.granted())) {
      log.info("Refused to open a row: the session has no cross-patient read scope");
      ModelAndView refused = new ModelAndView("launch-error");
      refused.addObject("message", "This launch cannot open other patients: it was not launched for the clinic's "
          + "list, or the EHR did not grant user/Patient.rs. Open the patient from their chart in the EHR.");
      refused.setStatus(HttpStatus.FORBIDDEN);
      return refused;
    }
    PatientReview.removeFrom(httpSession);
    try {
      session.openPatientFromClinic(patient, request);
    } catch (IllegalArgumentException e) {
      ModelAndView refused = new ModelAndView("launch-error");
      refused.addObject("message", "No such row to open (" + e.getMessage() + "). Go back to the clinic's list.");
      refused.setStatus(HttpStatus.BAD_REQUEST);
      return refused;
    }
    log.info("Opened a patient from the clinic's list");
    return new ModelAndView("redirect:/patient");
  }
}
