package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.fhir.writing.SharedValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sandbox's showcase patients (launch/sandbox) give the results their README table states. The
 * table was worked out by hand from docs/clinical-rules.md, independently of the engine.
 */
class ShowcasePatientsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonNode> RESULTS = new LinkedHashMap<>();

  record Expected(String patient, String verdict, List<String> met, List<String> unknown, String risks,
      String protocol) {
    @Override
    public String toString() {
      return patient;
    }
  }

  static List<Expected> showcase() {
    List<String> ind = List.of("IND-LIVING", "IND-ADULT", "IND-NEUROPATHIC", "IND-PRIOR-THERAPY");
    return List.of(
        new Expected("crps-suitable", "suitable", ind, List.of(), "L/L/L/L", "P-CRPS 100 mg 25 mg/h 10x240 72.0"),
        new Expected("sci-precautions", "suitable-with-precautions", plus(ind, "PR-HYPERTENSION", "INT-OPIOID"),
            List.of(), "M/M/L/L", "P-SCI 80 mg - 7x300 81.0"),
        new Expected("psychosis-contraindicated", "contraindicated", plus(ind, "CI-PSYCHOSIS"), List.of(),
            "L/L/H/L", null),
        new Expected("pregnant-contraindicated", "contraindicated", plus(ind, "CI-PREGNANCY"), List.of(),
            "L/L/L/L", null),
        new Expected("pregnancy-superseded", "suitable-with-precautions", plus(ind, "INT-CNS-DEPRESSANT"), List.of(),
            "L/M/L/L", "P-STANDARD 31 mg - 5x40 61.0"),
        new Expected("cirrhosis-contraindicated", "contraindicated", plus(ind, "CI-SEVERE-HEPATIC", "PR-HEPATIC"),
            List.of(), "L/L/L/H", null),
        new Expected("needs-information", "needs-information", List.of("IND-LIVING", "IND-ADULT", "IND-NEUROPATHIC"),
            List.of("IND-PRIOR-THERAPY", "DATA-BP", "DATA-WEIGHT"), "L/L/L/L", null),
        new Expected("not-indicated", "not-indicated", List.of("IND-LIVING", "IND-ADULT", "IND-PRIOR-THERAPY"),
            List.of(), "L/L/L/L", null),
        new Expected("ketamine-allergy", "contraindicated", plus(ind, "CI-KETAMINE-ALLERGY"), List.of(), "L/L/L/L",
            null),
        new Expected("opioid-benzo", "suitable-with-precautions", plus(ind, "INT-OPIOID", "INT-BENZODIAZEPINE"),
            List.of(), "L/H/L/L", "P-CRPS 100 mg 25 mg/h 10x240 79.8"),
        new Expected("prior-therapy-elsewhere", "needs-information",
            List.of("IND-LIVING", "IND-ADULT", "IND-NEUROPATHIC"), List.of("IND-PRIOR-THERAPY"), "L/L/L/L",
            "P-STANDARD 42 mg - 5x40 84.0"),
        new Expected("bp-missing", "needs-information", ind, List.of("DATA-BP"), "L/L/L/L",
            "P-CRPS 96 mg 24 mg/h 10x240 68.0"),
        new Expected("signed-plan", "suitable", ind, List.of(), "L/L/L/L", "P-CRPS 100 mg 25 mg/h 10x240 90.0"),
        new Expected("deceased", "not-indicated", List.of("IND-ADULT", "IND-NEUROPATHIC"),
            List.of("IND-PRIOR-THERAPY", "DATA-BP", "DATA-WEIGHT", "DATA-PAIN-BASELINE"), "L/L/L/L", null),
        new Expected("minor", "not-indicated", List.of("IND-LIVING", "IND-NEUROPATHIC", "IND-PRIOR-THERAPY",
            "INT-CNS-DEPRESSANT"), List.of(), "L/M/L/L", null),
        // the course patients (§ 8): signed earlier by the sandbox at start-up; on the record alone still suitable
        new Expected("course-go", "suitable", ind, List.of(), "L/L/L/L", "P-CRPS 100 mg 25 mg/h 10x240 78.0"),
        new Expected("course-hold", "suitable", ind, List.of(), "L/L/L/L", "P-CRPS 100 mg 25 mg/h 10x240 78.0"),
        new Expected("course-responder", "suitable", ind, List.of(), "L/L/L/L", "P-CRPS 100 mg 25 mg/h 10x240 80.0"),
        new Expected("course-non-responder", "suitable", ind, List.of(), "L/L/L/L",
            "P-CRPS 100 mg 25 mg/h 10x240 80.0"));
  }

  @BeforeAll
  static void assessTheSandbox() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"assess", "--input", "launch/sandbox", "--as-of", "2026-06-01"},
        Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));
    assertThat(status).as("exit status; stderr: %s", err).isZero();
    for (String line : out.toString().split("\n")) {
      JsonNode node = JSON.readTree(line);
      RESULTS.put(node.get("patient").asText(), node);
    }
  }

  @ParameterizedTest
  @MethodSource("showcase")
  void givesTheResultWorkedOutByHand(Expected expected) {
    JsonNode line = RESULTS.get(expected.patient());
    assertThat(line).as("assessed " + expected.patient()).isNotNull();
    assertThat(line.get("verdict").asText()).isEqualTo(expected.verdict());
    assertThat(rulesWith(line, "met")).containsExactlyElementsOf(expected.met());
    assertThat(rulesWith(line, "unknown")).containsExactlyElementsOf(expected.unknown());
    assertThat(risks(line)).isEqualTo(expected.risks());
    assertThat(protocol(line.get("protocol"))).isEqualTo(expected.protocol());
  }

  @org.junit.jupiter.api.Test
  void everyEmittedResourceValidatesAgainstTheProfiles(@TempDir Path out) throws IOException {
    int status = CommandLine.run(new String[] {"assess", "--input", "launch/sandbox", "--as-of", "2026-06-01",
        "--emit-fhir", out.toString()}, Clock.systemUTC(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    assertThat(status).isZero();

    IParser parser = FhirContext.forR4Cached().newJsonParser();
    int carePlans = 0;
    for (Expected expected : showcase()) {
      Bundle bundle = parser.parseResource(Bundle.class, Files.readString(out.resolve(expected.patient() + ".json")));
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        assertThat(SharedValidator.get().errors(entry.getResource()))
            .as(expected.patient() + " " + entry.getResource().fhirType()).isEmpty();
        carePlans += entry.getResource() instanceof CarePlan ? 1 : 0;
      }
    }
    assertThat(carePlans).as("a CarePlan for each patient with a protocol").isEqualTo(
        (int) showcase().stream().filter(e -> e.protocol() != null).count());
  }

  @org.junit.jupiter.api.Test
  void everySandboxPatientIsInTheTable() {
    assertThat(RESULTS.keySet()).containsExactlyInAnyOrderElementsOf(
        showcase().stream().map(Expected::patient).toList());
  }

  private static List<String> plus(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  private static List<String> rulesWith(JsonNode line, String outcome) {
    List<String> rules = new ArrayList<>();
    line.get("findings").forEach(f -> {
      if (f.get("outcome").asText().equals(outcome)) {
        rules.add(f.get("rule").asText());
      }
    });
    return rules;
  }

  private static String risks(JsonNode line) {
    List<String> letters = new ArrayList<>();
    for (String risk : List.of("cardiovascular", "respiratory-depression", "psychotomimetic", "hepatotoxicity")) {
      letters.add(line.at("/risks/" + risk).asText().substring(0, 1).toUpperCase());
    }
    return String.join("/", letters);
  }

  private static String protocol(JsonNode p) {
    if (p.isNull()) {
      return null;
    }
    String rate = p.get("rateMgPerHour").isNull() ? "-" : p.get("rateMgPerHour").asInt() + " mg/h";
    return p.get("id").asText() + " " + p.get("doseMg").asInt() + " mg " + rate + " "
        + p.get("sessions").asInt() + "x" + p.get("minutesPerSession").asInt() + " " + p.get("weightKg").asDouble();
  }
}
