package org.ketamineadvisor.advisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes a FHIR Bulk Data export for the screening benchmark: the resource types a screen asks for, one NDJSON file
 * per type (as a server answers a kick-off with {@code _type}), every record of a folder of Synthea bundles copied
 * N times. Each copy gets new ids for every resource and rewrites the references to them, so the export holds
 * N × the folder's patients as distinct people, not the same ids repeated.
 * Usage: {@code BulkExportData SYNTHEA_DIR OUT_DIR COPIES}; prints the number of resources written.
 */
public final class BulkExportData {

  /** What a screen's kick-off asks for (fhir.bulk's default {@code _type}). */
  static final Set<String> TYPES = Set.of("Patient", "Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance", "Medication");

  private BulkExportData() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int copies = Integer.parseInt(args[2]);
    System.out.println(write(in, out, copies) + " resources written to " + out);
  }

  /** Writes the export and returns how many resources it holds. */
  static long write(Path syntheaFolder, Path out, int copies) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(syntheaFolder)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    // each resource once, cut where an id of its record occurs, so that a copy only joins the pieces
    List<Template> templates = new ArrayList<>();
    for (Path file : files) {
      JsonNode bundle = json.readTree(file.toFile());
      Set<String> ids = new java.util.HashSet<>();
      List<String[]> resources = new ArrayList<>();
      for (JsonNode entry : bundle.path("entry")) {
        JsonNode resource = entry.path("resource");
        ids.add(resource.path("id").asText());
        String type = resource.path("resourceType").asText();
        if (TYPES.contains(type)) {
          resources.add(new String[] {type, json.writeValueAsString(resource)});
        }
      }
      for (String[] resource : resources) {
        templates.add(Template.of(resource[0], resource[1], ids));
      }
    }
    Files.createDirectories(out);
    Map<String, BufferedWriter> writers = new LinkedHashMap<>();
    long written = 0;
    try {
      for (int copy = 0; copy < copies; copy++) {
        String prefix = "c" + copy + "-";
        for (Template template : templates) {
          BufferedWriter writer = writers.computeIfAbsent(template.type(), type -> open(out.resolve(type + ".ndjson")));
          template.write(writer, prefix);
          writer.newLine();
          written++;
        }
      }
    } finally {
      for (BufferedWriter writer : writers.values()) {
        writer.close();
      }
    }
    return written;
  }

  /** A resource's JSON cut before each id of its record (Synthea ids are uuids). */
  private record Template(String type, List<String> pieces) {
    private static final java.util.regex.Pattern UUID =
        java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static Template of(String type, String json, Set<String> ids) {
      List<String> pieces = new ArrayList<>();
      java.util.regex.Matcher m = UUID.matcher(json);
      int from = 0;
      while (m.find()) {
        if (ids.contains(m.group())) {
          pieces.add(json.substring(from, m.start()));
          from = m.start();
        }
      }
      pieces.add(json.substring(from));
      return new Template(type, pieces);
    }

    /** The pieces joined with the copy's prefix before every id. */
    void write(BufferedWriter writer, String prefix) throws IOException {
      writer.write(pieces.get(0));
      for (int i = 1; i < pieces.size(); i++) {
        writer.write(prefix);
        writer.write(pieces.get(i));
      }
    }
  }

  private static BufferedWriter open(Path file) {
    try {
      return Files.newBufferedWriter(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
