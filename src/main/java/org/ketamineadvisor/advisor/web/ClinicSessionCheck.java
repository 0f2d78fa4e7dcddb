package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A session launched without a patient (the clinic's list) has no patient page until a row is opened: the patient
 * pages send it to the clinic's list instead of reading a record of nobody, and refuse a post (nothing to act on).
 */
final class ClinicSessionCheck implements HandlerInterceptor {

  /** The clinic's list (ClinicListController). */
  static final String CLINIC_PATH = "/clinic";

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    SmartSession session = SmartSession.in(request.getSession(false)).orElse(null);
    if (session == null || session.hasPatient()) {
      return true;
    }
    if (HttpMethod.GET.matches(request.getMethod())) {
      response.sendRedirect(request.getContextPath() + CLINIC_PATH);
    } else {
      response.sendError(HttpServletResponse.SC_CONFLICT);
    }
    return false;
  }
}
