package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * A form posted from a page that is older than the session: the app was launched again in another tab or window
 * (a launch renews the session's CSRF token), or the session ended. The request is refused before any controller
 * runs, so nothing is written; the browser gets the app's error page (403) saying so, an API client the JSON error.
 */
public final class StalePages implements AccessDeniedHandler {

  /** Request attribute set on a refused stale page; the error page reads it to explain what happened. */
  public static final String ATTRIBUTE = StalePages.class.getName() + ".stale";
  private static final Logger log = LoggerFactory.getLogger(StalePages.class);

  /** Marks {@code request} as coming from an out-of-date page (also for the controllers' own launch check). */
  public static void mark(HttpServletRequest request) {
    request.setAttribute(ATTRIBUTE, Boolean.TRUE);
  }

  /** Whether {@code request} was refused as coming from an out-of-date page. */
  public static boolean isStale(HttpServletRequest request) {
    return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    if (denied instanceof CsrfException) {
      // the exception's message names the token problem only; no token value is logged
      log.info("Refused a post from an out-of-date page ({}): nothing was done", denied.getClass().getSimpleName());
      mark(request);
    } else {
      log.info("Refused a request: access denied");
    }
    // through the error page (/error): a page in the app's words for a browser, a JSON body for an API client
    response.sendError(HttpServletResponse.SC_FORBIDDEN);
  }
}
