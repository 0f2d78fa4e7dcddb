package org.ketamineadvisor.advisor.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** The screening API the Bulk Data door calls after its download: counts that add up, a self-contained page. */
class ScreeningTest {

  @TempDir
  Path dir;

  @Test
  void everyPatientIsCountedOnceAndTheSummaryPageIsSelfContained() throws IOException {
    StringWriter progress = new StringWriter();

    ScreenSummary summary = new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(progress))
        .run(List.of(Path.of("src/test/resources/synthea")), dir.resolve("out"), LocalDate.parse("2025-01-01"));

    assertThat(summary.patients()).isEqualTo(15);
    assertThat(summary.candidates()).isEqualTo(7);
    assertThat(summary.assessed()).isEqualTo(7);
    assertThat(summary.notIndicatedUnassessed()).isEqualTo(8);
    assertThat(summary.notIndicatedUnassessed() + summary.assessed() + summary.failures() + summary.unread())
        .isEqualTo(summary.patients());
    // as SyntheaRecordsTest: the 7 with diabetic neuropathy or fibromyalgia need information
    assertThat(summary.verdicts().get(Verdict.NEEDS_INFORMATION)).isEqualTo(7);
    assertThat(summary.reasons().get(0)).isEqualTo(new ScreenSummary.ReasonCount("IND-NEUROPATHIC", "not-met",
        "no neuropathic pain condition recorded (not assessed)", 8));
    assertThat(summary.reasons()).contains(new ScreenSummary.ReasonCount("IND-PRIOR-THERAPY", "unknown",
        "first-line neuropathic agent tried (gabapentinoid, TCA or SNRI): not known", 7));
    assertThat(summary.problems()).isZero();

    String html = Files.readString(dir.resolve("out/summary.html"));
    assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
        .doesNotContain("<script", "<link", "<img", "@import", "url(");
    assertThat(html).contains("As of 2025-01-01").contains("<svg")
        .contains("<tr><td>Needs information</td><td class=\"n\">7</td></tr>")
        .contains("<tr><td>Not indicated: no neuropathic pain condition</td><td class=\"n\">8</td></tr>")
        .contains("<tr><th>Total</th><th class=\"n\">15</th></tr>")
        .contains("contraindicated</b> when the record also holds a contraindication");
    assertThat(progress.toString()).contains("census done").contains("assessed 7 of 7")
        .doesNotContain("03976b21");
  }

  @Test
  void textOnThePageIsEscaped() {
    assertThat(SummaryPage.escape("<b a=\"1\">&'")).isEqualTo("&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
  }

  @Test
  void distinctPatientsAreCountedByHash() {
    PatientIdHashes hashes = new PatientIdHashes();
    for (int i = 0; i < 5000; i++) {
      hashes.add("p" + (i % 2500));
    }
    hashes.finish();

    assertThat(hashes.count()).isEqualTo(2500);
    assertThat(hashes.contains("p17")).isTrue();
    assertThat(hashes.contains("p2500")).isFalse();
  }

  @Test
  void typesTheExportLeftOutMakeTheirRulesUnknownForEveryCandidate() throws IOException {
    ScreenSummary summary = new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(new StringWriter()))
        .run(List.of(Path.of("src/test/resources/synthea")), dir.resolve("out"), LocalDate.parse("2025-01-01"),
            List.of("AllergyIntolerance"));

    assertThat(summary.typesNotExported()).containsExactly("AllergyIntolerance");
    assertThat(summary.assessed()).isEqualTo(7);
    // nobody is "not met" for want of a file that was never exported
    for (String line : Files.readAllLines(dir.resolve("out/screen.ndjson"))) {
      assertThat(line).contains("\"CI-KETAMINE-ALLERGY\",\"outcome\":\"unknown\"");
    }
    assertThat(Files.readString(dir.resolve("out/summary.html")))
        .contains("the server's export did not include AllergyIntolerance");
  }

  @Test
  void anExportWithoutPatientsOrConditionsCannotBeScreened() {
    assertThat(Screening.censusTypesMissing(List.of("Observation", "Condition"))).containsExactly("Condition");
    assertThatThrownBy(() -> new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(new StringWriter()))
        .run(List.of(dir), dir.resolve("out"), LocalDate.parse("2025-01-01"), List.of("Patient")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not include Patient");
  }

  @Test
  void aConditionCodeWrittenAsANumberIsFoundAsHapiReadsIt() throws IOException {
    String condition = "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"clinicalStatus\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},\"code\":{\"coding\":"
        + "[{\"system\":\"http://snomed.info/sct\",\"code\":368581000119106}]},\"subject\":{\"reference\":"
        + "\"Patient/p1\"}}";
    // HAPI's lenient parser (the reader's) takes the number as the code's text
    assertThat(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
        .parseResource(org.hl7.fhir.r4.model.Condition.class, condition).getCode().getCodingFirstRep().getCode())
        .isEqualTo("368581000119106");
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\","
        + "\"birthDate\":\"1970-01-01\"}\n");
    Files.writeString(dir.resolve("in/Condition.ndjson"), condition + "\n");

    ScreenSummary summary = new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(new StringWriter()))
        .run(List.of(dir.resolve("in")), dir.resolve("out"), LocalDate.parse("2025-01-01"));

    assertThat(summary.candidates()).isEqualTo(1);
    assertThat(summary.assessed()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out/screen.ndjson")))
        .contains("\"IND-NEUROPATHIC\",\"outcome\":\"met\"");
  }

  @Test
  void worklistFieldsCannotRunAsFormulasOrBreakARow() {
    assertThat(Worklist.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(Worklist.field("+1")).isEqualTo("'+1");
    assertThat(Worklist.field("-1")).isEqualTo("'-1");
    assertThat(Worklist.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Worklist.field("\tx")).isEqualTo("'\tx");
    assertThat(Worklist.field("\rx")).isEqualTo("' x");
    assertThat(Worklist.field("p1\r\nrow2\nrow3")).isEqualTo("p1 row2 row3");
    assertThat(Worklist.field("a, b")).isEqualTo("\"a, b\"");
    assertThat(Worklist.field("p-1")).isEqualTo("p-1");
  }
}
