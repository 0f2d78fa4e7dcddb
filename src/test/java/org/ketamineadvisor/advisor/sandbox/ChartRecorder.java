package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * What an EHR's staff record during a course (rule set v1.1 § 8), so the sandbox can show the app's day check and
 * outcome change: a ketamine infusion documented for today (a MedicationAdministration), vital signs (BP, heart
 * rate, SpO2, optionally pain) recorded now, and a pain score on its own (a follow-up visit takes no vital signs).
 * "Now" is the {@link EhrClock}, the moment the app's day check and outcome use too. Written through the sandbox's
 * own FHIR API with a token for the patient.
 */
final class ChartRecorder extends HttpServlet {

  static final String PATH = "/ehr/record";

  private final SandboxSetup setup;
  private final List<SeedPatient> patients;

  ChartRecorder(SandboxSetup setup, List<SeedPatient> patients) {
    this.setup = setup;
    this.patients = patients;
  }

  /** The forms under the app's iframe on the EHR's launch page. */
  static String forms(HttpServletRequest request, String patientId) {
    String patient = "<input type=\"hidden\" name=\"patient\" value=\"" + SandboxPages.escape(patientId) + "\">";
    return "<details class=\"record\"><summary>Record in this EHR (as the clinic's staff would)</summary>"
        + "<form method=\"post\" action=\"" + PATH + "\">" + SandboxPages.csrfField(request) + patient
        + "<input type=\"hidden\" name=\"what\" value=\"infusion\">"
        + "<label>Ketamine given today (mg) <input name=\"dose\" type=\"number\" min=\"1\" max=\"500\" value=\"100\" required></label> "
        + "<button type=\"submit\">Document today's infusion</button></form>"
        + "<form method=\"post\" action=\"" + PATH + "\">" + SandboxPages.csrfField(request) + patient
        + "<input type=\"hidden\" name=\"what\" value=\"vitals\">"
        + "<label>Systolic <input name=\"systolic\" type=\"number\" min=\"40\" max=\"300\" required></label> "
        + "<label>Diastolic <input name=\"diastolic\" type=\"number\" min=\"20\" max=\"200\" required></label> "
        + "<label>Heart rate <input name=\"heartRate\" type=\"number\" min=\"20\" max=\"250\" required></label> "
        + "<label>SpO2 (%) <input name=\"spo2\" type=\"number\" min=\"50\" max=\"100\" required></label> "
        + "<label>Pain (0-10) <input name=\"pain\" type=\"number\" min=\"0\" max=\"10\"></label> "
        + "<button type=\"submit\">Record vital signs now</button></form>"
        + "<form method=\"post\" action=\"" + PATH + "\">" + SandboxPages.csrfField(request) + patient
        + "<input type=\"hidden\" name=\"what\" value=\"pain\">"
        + "<label>Pain score (0-10), e.g. at a follow-up visit "
        + "<input name=\"pain\" type=\"number\" min=\"0\" max=\"10\" required></label> "
        + "<button type=\"submit\">Record the pain score now</button></form>"
        + "<form method=\"post\" action=\"" + PATH + "\">" + SandboxPages.csrfField(request) + patient
        + "<input type=\"hidden\" name=\"what\" value=\"hcg\">"
        + "<label>Pregnancy test (urine hCG) <select name=\"hcg\"><option value=\"negative\">negative</option>"
        + "<option value=\"positive\">positive</option></select></label> "
        + "<button type=\"submit\">Record the pregnancy test now</button></form></details>";
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String patientId = request.getParameter("patient");
    Optional<SeedPatient> patient = patients.stream().filter(p -> p.id().equals(patientId)).findFirst();
    if (patient.isEmpty()) {
      SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Record", "<p class=\"error\" role=\"alert\">"
          + "No patient " + SandboxPages.escape(patientId) + " in this EHR.</p>");
      return;
    }
    Instant now = now();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String what;
    try {
      if ("infusion".equals(request.getParameter("what"))) {
        int dose = number(request, "dose", 1, 500);
        MedicationAdministration given = new MedicationAdministration();
        given.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        given.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130",
            "ketamine")).setText("Ketamine IV infusion"));
        given.setSubject(new Reference("Patient/" + patientId));
        given.setEffective(at(now));
        given.getDosage().setDose(new Quantity().setValue(dose).setUnit("mg").setSystem("http://unitsofmeasure.org")
            .setCode("mg"));
        bundle.addEntry().setResource(given).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        what = "ketamine " + dose + " mg documented as given today";
      } else if ("hcg".equals(request.getParameter("what"))) {
        boolean positive = "positive".equals(request.getParameter("hcg"));
        if (!positive && !"negative".equals(request.getParameter("hcg"))) {
          throw new IllegalArgumentException("hcg must be negative or positive");
        }
        add(bundle, pregnancyTest(patientId, now, positive));
        what = "pregnancy test (hCG) " + (positive ? "positive" : "negative");
      } else if ("pain".equals(request.getParameter("what"))) {
        int score = number(request, "pain", 0, 10);
        add(bundle, painScore(patientId, now, score));
        what = "pain " + score + "/10";
      } else {
        int systolic = number(request, "systolic", 40, 300);
        int diastolic = number(request, "diastolic", 20, 200);
        int heartRate = number(request, "heartRate", 20, 250);
        int spo2 = number(request, "spo2", 50, 100);
        add(bundle, VitalSigns.bloodPressure(patientId, now, systolic, diastolic));
        add(bundle, VitalSigns.observation(patientId, now, "8867-4", "Heart rate", heartRate, "/min"));
        add(bundle, VitalSigns.observation(patientId, now, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", spo2, "%"));
        what = "BP " + systolic + "/" + diastolic + " mmHg, heart rate " + heartRate + "/min, SpO2 " + spo2 + " %";
        String pain = request.getParameter("pain");
        if (pain != null && !pain.isBlank()) {
          int score = number(request, "pain", 0, 10);
          add(bundle, painScore(patientId, now, score));
          what += ", pain " + score + "/10";
        }
      }
    } catch (IllegalArgumentException e) {
      SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Record", "<p class=\"error\" role=\"alert\">"
          + SandboxPages.escape(e.getMessage()) + "</p>" + relaunch(request, patientId));
      return;
    }
    IGenericClient fhir = ca.uhn.fhir.context.FhirContext.forR4Cached().newRestfulGenericClient(setup.fhirBase());
    fhir.registerInterceptor(new BearerTokenAuthInterceptor(SandboxEhr.patientToken(setup, patientId,
        List.of("patient/MedicationAdministration.c", "patient/Observation.c"), null)));
    fhir.transaction().withBundle(bundle).execute();
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Recorded", "<p role=\"status\">Recorded for "
        + SandboxPages.escape(patient.get().name()) + " at " + now.atOffset(ZoneOffset.UTC).toLocalDate() + " "
        + now.atOffset(ZoneOffset.UTC).toLocalTime().withNano(0) + " UTC: " + SandboxPages.escape(what) + ".</p>"
        + relaunch(request, patientId));
  }

  /** The EHR's time, which the app's day check and outcome use too. */
  private Instant now() {
    return setup.ehrClock().instant();
  }

  /**
   * A urine hCG test (LOINC 2106-3) with a SNOMED result, negative (260385009) or positive (10828004), as a laboratory
   * Observation: what the first session's DAY-PREGNANCY check looks for (§ 8.2).
   */
  private static Observation pregnancyTest(String patientId, Instant now, boolean positive) {
    Observation o = VitalSigns.observation(patientId, now, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", null,
        null);
    o.getCategoryFirstRep().getCodingFirstRep().setCode("laboratory").setDisplay("Laboratory");
    o.setValue(new CodeableConcept(positive ? new Coding("http://snomed.info/sct", "10828004", "Positive")
        : new Coding("http://snomed.info/sct", "260385009", "Negative")));
    return o;
  }

  /** A pain score on the 0-10 numeric rating scale, as a survey Observation. */
  private static Observation painScore(String patientId, Instant now, int score) {
    Observation p = VitalSigns.observation(patientId, now, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        score, "{score}");
    p.getCategoryFirstRep().getCodingFirstRep().setCode("survey").setDisplay("Survey");
    return p;
  }

  private static String relaunch(HttpServletRequest request, String patientId) {
    return "<form method=\"post\" action=\"" + SandboxPages.EHR_LAUNCH_PATH + "\">" + SandboxPages.csrfField(request)
        + "<input type=\"hidden\" name=\"patient\" value=\"" + SandboxPages.escape(patientId) + "\">"
        + "<button type=\"submit\">Launch the app again</button></form>";
  }

  private static int number(HttpServletRequest request, String name, int min, int max) {
    String value = request.getParameter(name);
    try {
      int n = Integer.parseInt(value == null ? "" : value.strip());
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static DateTimeType at(Instant instant) {
    return new DateTimeType(java.util.Date.from(instant), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
        java.util.TimeZone.getTimeZone("UTC"));
  }

  private static void add(Bundle bundle, Observation o) {
    bundle.addEntry().setResource(o).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
  }

}
