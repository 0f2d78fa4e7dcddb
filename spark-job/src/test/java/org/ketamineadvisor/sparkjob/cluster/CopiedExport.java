package org.ketamineadvisor.sparkjob.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Bulk Data export made of a folder of Synthea bundles copied N times, each copy with new ids (every id of a
 * bundle and every reference to it gets the prefix {@code cN-}), so that the copies are distinct patients. Each copy
 * goes to its own NDJSON file per resource type ({@code Observation-3.ndjson}), as a server splits a large export:
 * many files, so that a job reads it in many tasks.
 */
public final class CopiedExport {

  /** The types a screen's kick-off asks for. */
  private static final Set<String> TYPES = Set.of("Patient", "Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance", "Medication");
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private CopiedExport() {}

  /** {@code CopiedExport BUNDLES_DIR OUT_DIR COPIES}: writes the export, prints how many patients it holds. */
  public static void main(String[] args) throws IOException {
    int patients = write(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    System.out.println(patients + " patients written to " + args[1]);
  }

  /** Writes {@code copies} copies of the bundles in {@code bundles} to {@code out}; returns the patients written. */
  public static int write(Path bundles, Path out, int copies) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(bundles)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    List<Set<String>> idsOfResource = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    List<String> types = new ArrayList<>();
    int patients = 0;
    for (Path file : files) {
      JsonNode bundle = json.readTree(file.toFile());
      Set<String> ids = new HashSet<>();
      bundle.path("entry").forEach(entry -> ids.add(entry.path("resource").path("id").asText()));
      for (JsonNode entry : bundle.path("entry")) {
        String type = entry.path("resource").path("resourceType").asText();
        if (TYPES.contains(type)) {
          resources.add(json.writeValueAsString(entry.path("resource")));
          types.add(type);
          idsOfResource.add(ids);
          patients += type.equals("Patient") ? 1 : 0;
        }
      }
    }
    Files.createDirectories(out);
    for (int copy = 0; copy < copies; copy++) {
      String prefix = "c" + copy + "-";
      Map<String, BufferedWriter> writers = new LinkedHashMap<>();
      try {
        for (int i = 0; i < resources.size(); i++) {
          String type = types.get(i);
          BufferedWriter writer = writers.get(type);
          if (writer == null) {
            writer = Files.newBufferedWriter(out.resolve(type + "-" + copy + ".ndjson"));
            writers.put(type, writer);
          }
          Set<String> ids = idsOfResource.get(i);
          Matcher m = UUID.matcher(resources.get(i));
          writer.write(m.replaceAll(found -> ids.contains(found.group()) ? prefix + found.group() : found.group()));
          writer.newLine();
        }
      } finally {
        for (BufferedWriter writer : writers.values()) {
          writer.close();
        }
      }
    }
    return patients * copies;
  }
}
