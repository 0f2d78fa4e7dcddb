package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Before any request of the clinician pages: when the session's review arrived without its record (the record is
 * not kept in the session store; another instance or a restarted one received the session), the record is read
 * again from the EHR and everything the clinician did is kept — so with several instances behind a load balancer,
 * attesting on one and signing on another behaves as on one.
 */
final class RecordReloader implements HandlerInterceptor {

  private final LaunchedPatients patients;

  RecordReloader(LaunchedPatients patients) {
    this.patients = patients;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    HttpSession httpSession = request.getSession(false);
    if (httpSession == null) {
      return true;
    }
    SmartSession.in(httpSession).ifPresent(session -> PatientReview.stored(httpSession, session)
        .filter(PatientReview::needsRecord)
        .ifPresent(review -> {
          if (patients.reloadRecord(review, session, SecurityContextHolder.getContext().getAuthentication(), request,
              response)) {
            review.storeIn(httpSession);
          }
        }));
    return true;
  }
}
