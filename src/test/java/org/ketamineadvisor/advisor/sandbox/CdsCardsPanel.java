package org.ketamineadvisor.advisor.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where the sandbox EHR shows CDS Hooks advice, as EHRs do: the cards of {@code patient-view} when a patient's chart
 * opens, and of {@code order-select} when the clinician drafts a ketamine order ({@code /ehr/order}). A card's SMART
 * link launches the app for the patient with a new launch context, exactly like the Launch button.
 */
final class CdsCardsPanel extends HttpServlet {

  static final String ORDER_PATH = "/ehr/order";

  private final SandboxSetup setup;
  private final List<SeedPatient> patients;

  CdsCardsPanel(SandboxSetup setup, List<SeedPatient> patients) {
    this.setup = setup;
    this.patients = patients;
  }

  /** The "Draft a ketamine order" form for the launch page. */
  static String orderForm(HttpServletRequest request, String patientId) {
    return "<form method=\"post\" action=\"" + ORDER_PATH + "\" class=\"order\">" + SandboxPages.csrfField(request)
        + "<input type=\"hidden\" name=\"patient\" value=\"" + SandboxPages.escape(patientId) + "\">"
        + "<button type=\"submit\">Draft a ketamine order (the EHR calls order-select)</button></form>";
  }

  /** The cards of {@code hook} for the patient, rendered; a service that cannot be reached is said, not hidden. */
  static String cards(SandboxSetup setup, String hook, String patientId, String userFhir) {
    List<JsonNode> cards;
    try {
      cards = new CdsClient(setup).call(hook, patientId, userFhir);
    } catch (IOException | RuntimeException e) {
      return "<p class=\"cds-unavailable\">CDS service (" + SandboxPages.escape(hook) + ") not reached: "
          + SandboxPages.escape(String.valueOf(e.getMessage())) + "</p>";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
    if (cards.isEmpty()) {
      return "";
    }
    StringBuilder html = new StringBuilder("<section class=\"cds-cards\" aria-label=\"CDS advice (" + hook + ")\">");
    for (JsonNode card : cards) {
      String indicator = card.path("indicator").asText();
      html.append("<div class=\"cds-card cds-").append(SandboxPages.escape(indicator)).append("\"><p><strong>")
          .append(SandboxPages.escape(indicator.toUpperCase())).append(":</strong> <span class=\"cds-summary\">")
          .append(SandboxPages.escape(card.path("summary").asText())).append("</span></p><details><summary>Detail"
              + "</summary><pre>").append(SandboxPages.escape(card.path("detail").asText())).append("</pre></details>")
          .append("<p><small>Source: ").append(SandboxPages.escape(card.path("source").path("label").asText()))
          .append("</small></p>");
      for (JsonNode link : card.path("links")) {
        String url = link.path("url").asText();
        if ("smart".equals(link.path("type").asText())) {
          String code = setup.launches().create(new LaunchContexts.LaunchContext(patientId, null, false));
          url += "?iss=" + URLEncoder.encode(setup.fhirBase(), StandardCharsets.UTF_8) + "&launch="
              + URLEncoder.encode(code, StandardCharsets.UTF_8);
        }
        html.append("<p><a class=\"cds-link\" href=\"").append(SandboxPages.escape(url)).append("\">")
            .append(SandboxPages.escape(link.path("label").asText())).append("</a></p>");
      }
      html.append("</div>");
    }
    return html.append("</section>").toString();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String patientId = request.getParameter("patient");
    Optional<SeedPatient> patient = patients.stream().filter(p -> p.id().equals(patientId)).findFirst();
    if (patient.isEmpty()) {
      SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Order", "<p class=\"error\" role=\"alert\">"
          + "No patient " + SandboxPages.escape(patientId) + " in this EHR.</p>");
      return;
    }
    String body = "<p>Draft order for <strong>" + SandboxPages.escape(patient.get().name()) + "</strong>: ketamine IV "
        + "infusion. The EHR called the app's <code>order-select</code> hook:</p>"
        + cards(setup, "order-select", patientId, "Practitioner/dr-ada")
        + "<p><a href=\"" + SandboxPages.EHR_PATH + "\">Back to the patient list</a></p>";
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Order for " + patient.get().name(), body);
  }
}
