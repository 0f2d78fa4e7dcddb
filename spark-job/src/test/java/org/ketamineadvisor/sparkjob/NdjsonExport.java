package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Test data: FHIR Bundles turned into a Bulk Data export (one NDJSON file per resource type and part), each patient
 * copied {@code copies} times under new ids ({@code id-c3}), every reference rewritten to the copy's resources (a
 * Bundle's urn:uuid references become {@code Type/id}, as a server's export writes them). Copies go round-robin into
 * {@code parts} files per type; part 0 is gzipped.
 */
final class NdjsonExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NdjsonExport() {}

  /** Writes the export of every *.json Bundle in {@code bundles} into {@code folder}; returns the patients written. */
  static int write(List<Path> bundleFolders, int copies, int parts, Path folder) throws IOException {
    Files.createDirectories(folder);
    Map<String, Writer> writers = new LinkedHashMap<>();
    int patients = 0;
    try {
      for (Path bundles : bundleFolders) {
        List<Path> files;
        try (Stream<Path> list = Files.list(bundles)) {
          files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
          JsonNode bundle = JSON.readTree(file.toFile());
          for (int copy = 1; copy <= copies; copy++) {
            for (ObjectNode resource : copy(bundle, "-c" + copy)) {
              String type = resource.path("resourceType").asText();
              if ("Patient".equals(type)) {
                patients++;
              }
              Writer out = writer(writers, folder, type, copy % parts);
              out.write(JSON.writeValueAsString(resource));
              out.write('\n');
            }
          }
        }
      }
    } finally {
      for (Writer w : writers.values()) {
        w.close();
      }
    }
    return patients;
  }

  private static Writer writer(Map<String, Writer> writers, Path folder, String type, int part) {
    return writers.computeIfAbsent(type + part, key -> {
      try {
        Path file = folder.resolve(type + "-" + part + (part == 0 ? ".ndjson.gz" : ".ndjson"));
        var raw = Files.newOutputStream(file);
        return new BufferedWriter(new OutputStreamWriter(part == 0 ? new GZIPOutputStream(raw) : raw,
            StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** The Bundle's resources with ids suffixed and references pointing at the suffixed resources. */
  private static List<ObjectNode> copy(JsonNode bundle, String suffix) {
    Map<String, String> byFullUrl = new HashMap<>();
    Map<String, String> byTypeAndId = new HashMap<>();
    for (JsonNode entry : bundle.path("entry")) {
      JsonNode r = entry.path("resource");
      String target = r.path("resourceType").asText() + "/" + r.path("id").asText() + suffix;
      if (entry.hasNonNull("fullUrl")) {
        byFullUrl.put(entry.get("fullUrl").asText(), target);
      }
      byTypeAndId.put(r.path("resourceType").asText() + "/" + r.path("id").asText(), target);
    }
    List<ObjectNode> copies = new ArrayList<>();
    for (JsonNode entry : bundle.path("entry")) {
      ObjectNode r = entry.path("resource").deepCopy();
      r.put("id", r.path("id").asText() + suffix);
      rewrite(r, byFullUrl, byTypeAndId);
      copies.add(r);
    }
    return copies;
  }

  private static void rewrite(JsonNode node, Map<String, String> byFullUrl, Map<String, String> byTypeAndId) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<String> references = new ArrayList<>();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if ("reference".equals(field.getKey()) && field.getValue().isTextual()) {
          references.add(field.getValue().asText());
        } else {
          rewrite(field.getValue(), byFullUrl, byTypeAndId);
        }
      }
      for (String reference : references) {
        String target = byFullUrl.getOrDefault(reference, byTypeAndId.get(reference));
        if (target != null) {
          object.set("reference", TextNode.valueOf(target));
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> rewrite(child, byFullUrl, byTypeAndId));
    }
  }
}
