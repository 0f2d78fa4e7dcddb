package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ketamineadvisor.advisor.sandbox.LaunchContexts.LaunchContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Standalone launch: an authorize request asking for {@code launch/patient} without a {@code launch} code sends the
 * signed-in user to a patient picker first. The pick becomes a launch code of its own, appended to the original
 * authorize request, so EHR and standalone launches reach the token endpoint the same way.
 */
final class PatientPicker {

  static final String LAUNCH_PATIENT_SCOPE = "launch/patient";
  private static final String PENDING_AUTHORIZE_URL = PatientPicker.class.getName() + ".pendingAuthorizeUrl";

  private PatientPicker() {}

  /** Runs in the authorization server's filter chain, before its authorization endpoint. */
  static final class Redirect extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (needsPatient(request)) {
        request.getSession().setAttribute(PENDING_AUTHORIZE_URL, request.getRequestURI() + "?" + request.getQueryString());
        response.sendRedirect(SandboxPages.PATIENT_PICKER_PATH);
        return;
      }
      chain.doFilter(request, response);
    }

    private static boolean needsPatient(HttpServletRequest request) {
      if (!"GET".equals(request.getMethod()) || !"/oauth2/authorize".equals(request.getRequestURI())
          || !"code".equals(request.getParameter("response_type"))
          || request.getParameter(SmartLaunchValidator.LAUNCH) != null) {
        return false;
      }
      Authentication user = SecurityContextHolder.getContext().getAuthentication();
      if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
        return false;
      }
      String scope = request.getParameter("scope");
      return scope != null && Arrays.asList(scope.split(" ")).contains(LAUNCH_PATIENT_SCOPE);
    }
  }

  /** The picker page: a list of patients; choosing one resumes the authorize request with that patient in context. */
  static final class Page extends HttpServlet {

    private final List<SeedPatient> patients;
    private final LaunchContexts launches;
    private final EhrClock clock;

    Page(List<SeedPatient> patients, LaunchContexts launches, EhrClock clock) {
      this.patients = patients;
      this.launches = launches;
      this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      HttpSession session = request.getSession(false);
      if (session == null || session.getAttribute(PENDING_AUTHORIZE_URL) == null) {
        SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Choose a patient",
            "<p class=\"error\" role=\"alert\">No app is waiting for a patient. Open the app's standalone launch "
                + "link again.</p>");
        return;
      }
      StringBuilder body = new StringBuilder("<h2>Choose the patient for the app</h2>")
          .append("<form method=\"post\" action=\"").append(SandboxPages.PATIENT_PICKER_PATH).append("\">")
          .append(SandboxPages.csrfField(request))
          .append("<fieldset><legend>Patients</legend>");
      for (SeedPatient patient : patients) {
        String id = "patient-" + SandboxPages.escape(patient.id());
        body.append("<label for=\"").append(id).append("\"><input type=\"radio\" name=\"patient\" required id=\"")
            .append(id).append("\" value=\"").append(SandboxPages.escape(patient.id())).append("\"> ")
            .append(SandboxPages.escape(patient.name())).append(", ").append(SandboxPages.escape(patient.sex()))
            .append(", ").append(patient.ageOn(SeedPatient.today(clock))).append(" <code>")
            .append(SandboxPages.escape(patient.id())).append("</code></label>");
      }
      body.append("</fieldset><p><button type=\"submit\">Continue with this patient</button></p></form>");
      SandboxPages.write(response, HttpServletResponse.SC_OK, "Choose a patient", body.toString());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      HttpSession session = request.getSession(false);
      Object pending = session == null ? null : session.getAttribute(PENDING_AUTHORIZE_URL);
      String patientId = request.getParameter("patient");
      if (pending == null || patients.stream().noneMatch(patient -> patient.id().equals(patientId))) {
        SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Choose a patient",
            "<p class=\"error\" role=\"alert\">Choose one of the listed patients (got " + SandboxPages.escape(patientId)
                + "), or open the app's standalone launch link again.</p>");
        return;
      }
      session.removeAttribute(PENDING_AUTHORIZE_URL);
      // a standalone app has no EHR around it, so it must show the patient banner itself
      String code = launches.create(new LaunchContext(patientId, null, true));
      response.sendRedirect(pending + "&" + SmartLaunchValidator.LAUNCH + "="
          + URLEncoder.encode(code, StandardCharsets.UTF_8));
    }
  }
}
