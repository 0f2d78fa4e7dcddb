package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The SMART launch URL: checks the issuer against the allow-list, discovers it, and sends the browser to sign in.
 * {@code /launch?iss=…&clinic} is the standalone launch for the clinic's list: it asks for no patient.
 */
@Controller
class LaunchController {

  private static final Logger log = LoggerFactory.getLogger(LaunchController.class);

  private final AllowListedEhrs ehrs;
  private final SmartAuthorizationRequests authorizationRequests;
  private final AuthorizationRequestRepository<OAuth2AuthorizationRequest> pendingRequests;

  LaunchController(AllowListedEhrs ehrs, SmartAuthorizationRequests authorizationRequests,
      AuthorizationRequestRepository<OAuth2AuthorizationRequest> pendingRequests) {
    this.ehrs = ehrs;
    this.authorizationRequests = authorizationRequests;
    this.pendingRequests = pendingRequests;
  }

  @GetMapping("/launch")
  ModelAndView launch(@RequestParam(required = false) String iss, @RequestParam(required = false) String launch,
      @RequestParam(required = false) String clinic, HttpServletRequest request, HttpServletResponse response) {
    if (iss == null || iss.isBlank()) {
      return failed(HttpStatus.BAD_REQUEST, "The launch has no iss parameter, so the app does not know which EHR "
          + "opened it. Launch the app from the EHR, or for a standalone launch open /launch?iss=<FHIR base URL>.");
    }
    Optional<EhrRegistration> ehr = ehrs.forIssuer(iss);
    if (ehr.isEmpty()) {
      // never redirect to an unknown issuer: it could send the browser anywhere (open redirect, token phishing)
      log.warn("Launch refused: issuer not allow-listed");
      return failed(HttpStatus.BAD_REQUEST, "This app does not accept launches from " + iss + ": that EHR is not "
          + "on its allow-list. Ask your integration team to register the app with it (advisor.ehrs).");
    }
    CorrelationIds.startLaunch(request);
    boolean standalone = launch == null || launch.isBlank();
    boolean forClinic = standalone && clinic != null;
    log.info("{} launch from {}", forClinic ? "Standalone clinic" : standalone ? "Standalone" : "EHR",
        ehr.get().issuer().getHost());
    try {
      ehrs.configurationOf(ehr.get());
    } catch (DiscoveryFailedException e) {
      log.warn("Discovery failed for {}: {}", ehr.get().issuer().getHost(), e.getMessage());
      return failed(HttpStatus.BAD_GATEWAY, "The app could not read the SMART configuration of "
          + ehr.get().name() + ". " + e.getMessage());
    }
    if (!standalone) {
      request.setAttribute(SmartAuthorizationRequests.LAUNCH_ATTRIBUTE, launch);
    }
    if (forClinic) {
      request.setAttribute(SmartAuthorizationRequests.CLINIC_ATTRIBUTE, Boolean.TRUE);
    }
    OAuth2AuthorizationRequest authorization = authorizationRequests.resolve(request, ehr.get().registrationId());
    pendingRequests.saveAuthorizationRequest(authorization, request, response);
    RedirectView redirect = new RedirectView(authorization.getAuthorizationRequestUri());
    redirect.setExpandUriTemplateVariables(false);
    redirect.setPropagateQueryParams(false);
    return new ModelAndView(redirect);
  }

  @GetMapping("/launch/failed")
  ModelAndView failedAtCallback(HttpServletRequest request) {
    Object message = request.getAttribute(LaunchHandlers.FAILURE_MESSAGE);
    return failed(HttpStatus.BAD_REQUEST, message == null
        ? "The launch did not complete. Launch the app again from the EHR." : message.toString());
  }

  @GetMapping("/session-ended")
  ModelAndView sessionEnded() {
    ModelAndView page = new ModelAndView("session-ended");
    page.setStatus(HttpStatus.UNAUTHORIZED);
    return page;
  }

  private static ModelAndView failed(HttpStatus status, String message) {
    ModelAndView page = new ModelAndView("launch-error");
    page.addObject("message", message);
    page.setStatus(status);
    return page;
  }
}
