package org.ketamineadvisor.advisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a large NDJSON export for the memory benchmark: every Synthea record, copied N times under
 * new patient ids, one resource per line (as a FHIR Bulk Data export would be, patients interleaved).
 * Usage: {@code BenchData SYNTHEA_DIR OUT.ndjson COPIES}.
 */
public final class BenchData {

  private BenchData() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int copies = Integer.parseInt(args[2]);
    ObjectMapper json = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(in)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out)) {
      for (int copy = 0; copy < copies; copy++) {
        for (Path file : files) {
          String text = Files.readString(file);
          JsonNode bundle = json.readTree(text);
          String patientId = patientIdOf(bundle);
          String copyId = "c" + copy + "-" + patientId.substring(0, Math.min(patientId.length(), 50));
          for (JsonNode entry : bundle.path("entry")) {
            String line = json.writeValueAsString(entry.path("resource"))
                .replace(patientId, copyId);
            writer.write(line);
            writer.newLine();
          }
        }
      }
    }
  }

  private static String patientIdOf(JsonNode bundle) {
    for (JsonNode entry : bundle.path("entry")) {
      if (entry.path("resource").path("resourceType").asText().equals("Patient")) {
        return entry.path("resource").path("id").asText();
      }
    }
    throw new IllegalArgumentException("a bundle without a Patient");
  }
}
