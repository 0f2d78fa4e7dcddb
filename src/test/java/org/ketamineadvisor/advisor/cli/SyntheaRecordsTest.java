package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Realistic records (Synthea 3.3.0, src/test/resources/synthea, ending 2025-01-01) are assessed without
 * a problem, give sensible verdicts, and give the same output as the reviewed golden file
 * (regenerate with {@code -Dgolden.update=true} and review the diff).
 */
class SyntheaRecordsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("src/test/resources/golden/synthea-assess.ndjson");

  @Test
  void syntheaPatientsAreAssessedAsReviewed() throws IOException {
    Run run = assess("src/test/resources/synthea");

    assertThat(run.status).as("stderr: %s", run.err).isZero();
    assertThat(run.err).isEmpty();
    List<JsonNode> lines = run.lines();
    assertThat(lines).hasSize(15);
    for (JsonNode line : lines) {
      String verdict = line.get("verdict").asText();
      boolean hasIndication = has(line, "IND-NEUROPATHIC", "met");
      assertThat(verdict.equals("not-indicated")).as(line.get("patient").asText()).isEqualTo(!hasIndication);
      assertThat(line.get("protocol").isNull()).isEqualTo(!has(line, "DATA-WEIGHT", "not-listed")
          || verdict.equals("not-indicated") || verdict.equals("contraindicated"));
    }
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, run.out);
    }
    assertThat(run.out).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  void verdictDistributionOfTheSyntheaSet() throws IOException {
    Map<String, Integer> verdicts = new TreeMap<>();
    for (JsonNode line : assess("src/test/resources/synthea").lines()) {
      verdicts.merge(line.get("verdict").asText(), 1, Integer::sum);
    }
    // diabetic neuropathy and fibromyalgia patients lack a first-line trial and recent vitals in Synthea
    assertThat(verdicts).isEqualTo(Map.of("needs-information", 7, "not-indicated", 8));
  }

  @Test
  void theHeavyRecordIsAssessed() throws IOException {
    Run run = assess("src/test/resources/synthea-heavy");

    assertThat(run.status).as("stderr: %s", run.err).isZero();
    assertThat(run.lines()).hasSize(1);
    assertThat(has(run.lines().get(0), "IND-NEUROPATHIC", "met")).isTrue();
    assertThat(has(run.lines().get(0), "PR-CARDIOVASCULAR", "met")).as("history of MI").isTrue();
  }

  /** Whether the rule has the outcome; "not-listed" means it is neither met nor unknown. */
  private static boolean has(JsonNode line, String rule, String outcome) {
    for (JsonNode f : line.get("findings")) {
      if (f.get("rule").asText().equals(rule)) {
        return f.get("outcome").asText().equals(outcome);
      }
    }
    return outcome.equals("not-listed");
  }

  private static Run assess(String input) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"assess", "--input", input, "--as-of", "2025-01-01"},
        Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {
    List<JsonNode> lines() throws IOException {
      List<JsonNode> nodes = new java.util.ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          nodes.add(JSON.readTree(line));
        }
      }
      return nodes;
    }
  }
}
