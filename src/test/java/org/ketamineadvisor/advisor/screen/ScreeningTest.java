package org.ketamineadvisor.advisor.screen;

import static org.assertj.core.api.Assertions.assertThat;

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
}
