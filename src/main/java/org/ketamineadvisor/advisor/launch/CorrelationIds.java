package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One correlation id per launch, in the MDC of every request of that launch (log pattern {@code launch=…}), so a
 * launch can be followed through the logs without logging tokens or patient ids.
 */
public class CorrelationIds extends OncePerRequestFilter {

  /** MDC key, used by the log pattern in application.yml. */
  public static final String MDC_KEY = "launch";
  static final String SESSION_ATTRIBUTE = CorrelationIds.class.getName();

  /** Starts a new launch's id (called by {@code /launch}) and puts it in the MDC. */
  static String startLaunch(HttpServletRequest request) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    request.getSession(true).setAttribute(SESSION_ATTRIBUTE, id);
    MDC.put(MDC_KEY, id);
    return id;
  }

  /** The correlation id of the launch {@code request} belongs to, or null when it belongs to none. */
  public static String of(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object id = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
    return id == null ? null : id.toString();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    Object id = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
    if (id != null) {
      MDC.put(MDC_KEY, id.toString());
    }
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }
}
