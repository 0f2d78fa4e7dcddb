package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.PatientBanner;
import org.ketamineadvisor.advisor.fhir.PatientBannerReader;
import org.ketamineadvisor.advisor.launch.EhrAccess;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/** The launched patient's page (a placeholder the clinician page of issue #5 replaces). */
@Controller
class PatientController {

  private static final Logger log = LoggerFactory.getLogger(PatientController.class);

  private final EhrAccess access;
  private final PatientBannerReader patients;

  PatientController(EhrAccess access, PatientBannerReader patients) {
    this.access = access;
    this.patients = patients;
  }

  @GetMapping("/patient")
  ModelAndView patient(HttpSession httpSession, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    if (launched.isEmpty()) {
      return relaunch();
    }
    SmartSession session = launched.get();
    ModelAndView page = new ModelAndView("patient");
    page.addObject("limitations", session.granted().limitations());
    page.addObject("banner", null);
    page.addObject("readProblem", null);
    if (session.needPatientBanner()) {
      try {
        String token = access.accessToken(session, user, request, response);
        PatientBanner banner = patients.read(session.fhirBase(), session.patientId(), token);
        page.addObject("banner", banner);
      } catch (RelaunchNeededException e) {
        return relaunch();
      } catch (RuntimeException e) {
        log.warn("Reading the patient failed: {}", e.getClass().getSimpleName());
        page.addObject("readProblem", "The patient's details could not be read from the EHR ("
            + e.getClass().getSimpleName() + "). Reload the page to try again.");
      }
    }
    return page;
  }

  private static ModelAndView relaunch() {
    ModelAndView page = new ModelAndView("session-ended");
    page.setStatus(HttpStatus.UNAUTHORIZED);
    return page;
  }
}
