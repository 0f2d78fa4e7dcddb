package org.ketamineadvisor.advisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A Bulk Data style export made from the Synthea Bundles: one NDJSON file per resource type (Condition gzipped),
 * every Bundle {@code copies} times with its uuids (resource ids, fullUrls and the references to them) given a
 * copy suffix, so each copy is a new set of patients; plus {@code Repeat.ndjson}, the first copy's Patients and
 * Conditions again, as a peer server's multiplied export repeats ids (read as the same patients).
 */
final class MultipliedExport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private MultipliedExport() {}

  /** Writes the export to {@code folder}; returns the number of resources written. */
  static long write(Path synthea, Path folder, int copies) throws IOException {
    Files.createDirectories(folder);
    List<Path> bundles;
    try (Stream<Path> files = Files.list(synthea)) {
      bundles = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    Map<String, Writer> byType = new TreeMap<>();
    long written = 0;
    try (Writer repeat = Files.newBufferedWriter(folder.resolve("Repeat.ndjson"))) {
      for (int copy = 0; copy < copies; copy++) {
        String suffix = "-x" + copy;
        for (Path bundle : bundles) {
          String text = UUID.matcher(Files.readString(bundle)).replaceAll(m -> m.group() + suffix);
          for (JsonNode entry : JSON.readTree(text).path("entry")) {
            JsonNode resource = entry.path("resource");
            String type = resource.path("resourceType").asText();
            String line = JSON.writeValueAsString(resource) + "\n";
            writer(byType, folder, type).write(line);
            written++;
            if (copy == 0 && (type.equals("Patient") || type.equals("Condition"))) {
              repeat.write(line);
              written++;
            }
          }
        }
      }
    } finally {
      for (Writer w : byType.values()) {
        w.close();
      }
    }
    return written;
  }

  private static Writer writer(Map<String, Writer> byType, Path folder, String type) throws IOException {
    Writer open = byType.get(type);
    if (open == null) {
      open = type.equals("Condition")
          ? new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(folder.resolve(type + ".ndjson.gz"))),
              StandardCharsets.UTF_8)
          : Files.newBufferedWriter(folder.resolve(type + ".ndjson"));
      byType.put(type, open);
    }
    return open;
  }
}
