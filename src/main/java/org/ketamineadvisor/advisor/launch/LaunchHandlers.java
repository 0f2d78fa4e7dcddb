package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/** What happens when the EHR sends the browser back: the launch context is kept, or the user is told what failed. */
class LaunchHandlers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

  static final String FAILURE_MESSAGE = LaunchHandlers.class.getName() + ".message";
  private static final Logger log = LoggerFactory.getLogger(LaunchHandlers.class);

  @Override
  public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
      Authentication authentication) throws IOException {
    boolean clinic = false;
    if (authentication.getPrincipal() instanceof LaunchedUser user) {
      user.session().storeIn(request.getSession());
      clinic = !user.session().hasPatient();
      log.info("Launch completed for {}{}", user.session().fhirBase().getHost(), clinic ? " (clinic's list)" : "");
    }
    response.sendRedirect(request.getContextPath() + (clinic ? "/clinic" : "/patient"));
  }

  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
      AuthenticationException exception) throws IOException, ServletException {
    String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : "unknown";
    log.warn("Launch failed: {}", code);
    request.setAttribute(FAILURE_MESSAGE, explain(exception, code));
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    request.getRequestDispatcher("/launch/failed").forward(request, response);
  }

  static String explain(AuthenticationException exception, String code) {
    return switch (code) {
      case "authorization_request_not_found", "invalid_state_parameter" ->
          "The EHR's answer does not match a launch started in this browser (state mismatch). This happens when the "
              + "launch was started in another browser or tab, took too long, or the browser blocked the app's "
              + "cookie. Launch the app again from the EHR.";
      case "invalid_request", "invalid_scope", "unauthorized_client" -> "The EHR refused the app's sign-in request ("
          + code + "): it did not accept the app's registration, its PKCE challenge or the FHIR server it asked for "
          + "(aud). Launch the app again from the EHR; if it persists, ask your integration team to check the app's "
          + "registration (advisor.ehrs).";
      case "access_denied" -> "Access was not granted in the EHR, so the app cannot open the patient's record. "
          + "Launch the app again and allow access if you want to use it.";
      case "invalid_grant" -> "The EHR refused to exchange the sign-in code (it was already used, expired, or did "
          + "not match this launch). Launch the app again from the EHR.";
      case "invalid_nonce", "invalid_id_token", "missing_signature_verifier" -> "The EHR's identity token could not be "
          + "verified, so the sign-in was not accepted. Ask your integration team to check the EHR's keys "
          + "(jwks_uri) and issuer.";
      case "invalid_token_response" -> "The EHR's token endpoint could not be reached or gave an answer the app "
          + "does not understand. Try again; if it persists, ask your integration team.";
      default -> "Signing in with the EHR failed (" + code + "). Launch the app again from the EHR.";
    };
  }
}
