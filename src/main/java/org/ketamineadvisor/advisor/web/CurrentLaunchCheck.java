package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Every form of the clinician page carries the launch it was rendered for ({@code launch}); a post from the page of
 * an earlier launch — another patient opened since in another tab or window — is refused before it can attest,
 * enter, plan or sign anything for the session's current patient. The CSRF token already stops most such posts
 * (a launch renews it); this holds even when the token is current, e.g. a form re-sent with a fresh token.
 */
final class CurrentLaunchCheck implements HandlerInterceptor {

  static final String FIELD = "launch";
  private static final Logger log = LoggerFactory.getLogger(CurrentLaunchCheck.class);

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (!HttpMethod.POST.matches(request.getMethod())) {
      return true;
    }
    Optional<SmartSession> launched = SmartSession.in(request.getSession(false));
    if (launched.isEmpty()) {
      return true; // no launch to act on: the controllers ask for a relaunch
    }
    // a page rendered without a launch id has an empty field: the same as none
    String posted = blankToNull(request.getParameter(FIELD));
    if (Objects.equals(posted, blankToNull(launched.get().correlationId()))) {
      return true;
    }
    log.info("Refused a post from the page of {} launch: nothing was done",
        posted == null ? "an unknown" : "an earlier");
    response.sendError(HttpServletResponse.SC_CONFLICT);
    return false;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
