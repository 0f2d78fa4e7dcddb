package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.sandbox.LaunchContexts.LaunchContext;

/**
 * The EHR simulator: the seed patients, each with a Launch button that creates a launch code and opens the app's
 * launch URL in an iframe, as an EHR embeds apps; a provider-level launch from the schedule ("Open the clinic's
 * list", no patient in context); the app's standalone launch links (one patient, or the clinic's list); and the
 * EHR's date and time ({@link EhrClockForm}), which the patients' ages and the launch page's banner follow.
 */
final class EhrSimulatorPage extends HttpServlet {

  private final SandboxSetup setup;
  private final List<SeedPatient> patients;

  EhrSimulatorPage(SandboxSetup setup, List<SeedPatient> patients) {
    this.setup = setup;
    this.patients = patients;
  }

  /** The URL an EHR opens to launch the app: {@code {appBase}/launch?iss=…&launch=…}. */
  static String launchUrl(SandboxSetup setup, String launchCode) {
    String url = setup.options().appBase() + "/launch?iss=" + URLEncoder.encode(setup.fhirBase(), StandardCharsets.UTF_8);
    return launchCode == null ? url : url + "&launch=" + URLEncoder.encode(launchCode, StandardCharsets.UTF_8);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    LocalDate today = SeedPatient.today(setup.ehrClock());
    StringBuilder body = new StringBuilder()
        .append(EhrClockForm.form(request, setup.ehrClock(), null))
        .append("<p>Signed in as <strong>").append(SandboxPages.escape(request.getRemoteUser())).append("</strong>. ")
        .append("FHIR server: <code>").append(SandboxPages.escape(setup.fhirBase())).append("</code>. ")
        .append("App: <code>").append(SandboxPages.escape(setup.options().appBase())).append("</code>.</p>")
        .append("<p><a class=\"button\" href=\"").append(SandboxPages.escape(launchUrl(setup, null)))
        .append("\" target=\"_blank\" rel=\"noopener\">Standalone launch (pick the patient in the app's sign-in)</a> ")
        .append("<a class=\"button\" href=\"").append(SandboxPages.escape(launchUrl(setup, null) + "&clinic"))
        .append("\" target=\"_blank\" rel=\"noopener\">Standalone launch of the clinic's list</a></p>")
        .append("<form method=\"post\" action=\"").append(SandboxPages.EHR_LAUNCH_PATH).append("\">")
        .append(SandboxPages.csrfField(request))
        .append("<input type=\"hidden\" name=\"clinic\" value=\"schedule\">")
        .append("<p>Today's schedule: <button type=\"submit\" id=\"open-clinic-list\">Open the clinic's list</button>")
        .append(" (a launch without a patient)</p></form>")
        .append("<table><caption>Patients</caption><thead><tr><th scope=\"col\">Patient</th><th scope=\"col\">Sex</th>")
        .append("<th scope=\"col\">Age</th><th scope=\"col\">Story</th><th scope=\"col\">Launch the app</th></tr></thead><tbody>");
    for (SeedPatient patient : patients) {
      body.append("<tr><th scope=\"row\">").append(SandboxPages.escape(patient.name())).append("<br><code>")
          .append(SandboxPages.escape(patient.id())).append("</code></th><td>").append(SandboxPages.escape(patient.sex()))
          .append("</td><td>").append(patient.ageOn(today)).append("</td><td>").append(SandboxPages.escape(patient.story()))
          .append("</td><td><form method=\"post\" action=\"").append(SandboxPages.EHR_LAUNCH_PATH).append("\">")
          .append(SandboxPages.csrfField(request))
          .append("<input type=\"hidden\" name=\"patient\" value=\"").append(SandboxPages.escape(patient.id())).append("\">")
          .append("<button type=\"submit\" aria-label=\"Launch the app for ").append(SandboxPages.escape(patient.name()))
          .append("\">Launch</button></form></td></tr>");
    }
    body.append("</tbody></table>");
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Patients", body.toString());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getParameter("clinic") != null) {
      launchClinic(response);
      return;
    }
    String patientId = request.getParameter("patient");
    Optional<SeedPatient> patient = patients.stream().filter(p -> p.id().equals(patientId)).findFirst();
    if (patient.isEmpty()) {
      SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Launch",
          "<p class=\"error\" role=\"alert\">No patient " + SandboxPages.escape(patientId)
              + " in this EHR. <a href=\"" + SandboxPages.EHR_PATH + "\">Back to the patient list</a>.</p>");
      return;
    }
    // inside the EHR the EHR shows the banner, so the app need not
    String code = setup.launches().create(new LaunchContext(patient.get().id(), null, false));
    String launchUrl = launchUrl(setup, code);
    SeedPatient shown = patient.get();
    String body = "<div class=\"banner\" role=\"region\" aria-label=\"Patient banner\"><strong>"
        + SandboxPages.escape(shown.name()) + "</strong> · " + SandboxPages.escape(shown.sex()) + " · "
        + shown.ageOn(SeedPatient.today(setup.ehrClock())) + " · <code>" + SandboxPages.escape(shown.id())
        + "</code> · EHR time <span id=\"ehr-now\">" + SandboxPages.escape(EhrClockForm.shown(setup.ehrClock()))
        + "</span> · <a href=\"" + SandboxPages.EHR_PATH + "\">Back to the patient list</a> · "
        + "<a href=\"" + SandboxPages.escape(launchUrl) + "\" target=\"_blank\" rel=\"noopener\">open the launch in a new tab</a></div>"
        + CdsCardsPanel.cards(setup, "patient-view", shown.id(), "Practitioner/dr-ada")
        + CdsCardsPanel.orderForm(request, shown.id())
        + "<iframe title=\"Ketamine Infusion Advisor for " + SandboxPages.escape(shown.name()) + "\" src=\""
        + SandboxPages.escape(launchUrl) + "\"></iframe>" + ChartRecorder.forms(request, shown.id());
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Launch for " + shown.name(), body);
  }

  /** The provider-level launch: the schedule opens the app with no patient in context, in the EHR's frame. */
  private void launchClinic(HttpServletResponse response) throws IOException {
    String launchUrl = launchUrl(setup, setup.launches().create(LaunchContext.providerLevel()));
    String body = "<div class=\"banner\" role=\"region\" aria-label=\"Schedule\"><strong>Today's schedule</strong> · "
        + "<a href=\"" + SandboxPages.EHR_PATH + "\">Back to the patient list</a> · <a href=\""
        + SandboxPages.escape(launchUrl) + "\" target=\"_blank\" rel=\"noopener\">open the launch in a new tab</a></div>"
        + "<iframe title=\"Ketamine Infusion Advisor: the clinic's list\" src=\"" + SandboxPages.escape(launchUrl)
        + "\"></iframe>";
    SandboxPages.write(response, HttpServletResponse.SC_OK, "The clinic's list", body);
  }
}
