package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The export's progress: rewritten in place on a terminal, a plain line every 10 s in a log. */
class ProgressLineTest {

  private final FakeTime time = new FakeTime(Instant.parse("2026-06-01T10:00:00Z"));
  private final StringWriter err = new StringWriter();

  @Test
  void onATerminalTheLineIsRewrittenWithABarFromXProgress() {
    ProgressLine line = new ProgressLine(new PrintWriter(err, true), true, time);
    line.show("Exporting: 45% complete");
    time.sleep(Duration.ofSeconds(65));
    line.show("in progress");
    line.end();

    assertThat(err.toString()).startsWith("\rexport [#########...........] 45%  0m 00s  Exporting: 45% complete")
        .contains("\rexport [").contains("1m 05s  in progress").endsWith(System.lineSeparator())
        .doesNotContain("\n\r");
  }

  @Test
  void inALogALineIsWrittenAtMostEveryTenSecondsWithoutCarriageReturns() {
    ProgressLine line = new ProgressLine(new PrintWriter(err, true), false, time);
    for (int second = 0; second < 30; second++) {
      line.show("in progress");
      time.sleep(Duration.ofSeconds(1));
    }
    line.end();

    assertThat(err.toString()).doesNotContain("\r");
    assertThat(err.toString().lines()).hasSize(3);
  }

  @Test
  void aServerTextWithAPatientReferenceIsShortened() {
    ProgressLine line = new ProgressLine(new PrintWriter(err, true), false, time);
    line.show("exporting Patient/abc-123\u001b[2J");
    assertThat(err.toString()).contains("exporting Patient/…").doesNotContain("abc-123").doesNotContain("\u001b");
  }
}
