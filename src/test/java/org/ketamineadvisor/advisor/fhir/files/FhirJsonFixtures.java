package org.ketamineadvisor.advisor.fhir.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builders for small FHIR JSON inputs: resources, Bundles and NDJSON files written to a folder. */
final class FhirJsonFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FhirJsonFixtures() {
  }

  static ObjectNode patient(String id) {
    ObjectNode p = resource("Patient", id);
    p.put("gender", "female").put("birthDate", "1970-01-01");
    return p;
  }

  static ObjectNode condition(String id, String subject) {
    ObjectNode c = resource("Condition", id);
    c.putObject("code").putArray("coding").addObject().put("system", "http://snomed.info/sct").put("code", "128200000");
    c.putObject("subject").put("reference", subject);
    return c;
  }

  static ObjectNode observation(String id, String subject) {
    ObjectNode o = resource("Observation", id);
    o.put("status", "final");
    o.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org").put("code", "29463-7");
    o.putObject("subject").put("reference", subject);
    o.putObject("valueQuantity").put("value", 80).put("unit", "kg").put("system", "http://unitsofmeasure.org")
        .put("code", "kg");
    return o;
  }

  static ObjectNode allergy(String id, String patient) {
    ObjectNode a = resource("AllergyIntolerance", id);
    a.putObject("patient").put("reference", patient);
    return a;
  }

  static ObjectNode medication(String id) {
    ObjectNode m = resource("Medication", id);
    m.putObject("code").put("text", "ketamine");
    return m;
  }

  static ObjectNode medicationRequest(String id, String subject, String medication) {
    ObjectNode r = resource("MedicationRequest", id);
    r.put("status", "active").put("intent", "order");
    r.putObject("medicationReference").put("reference", medication);
    r.putObject("subject").put("reference", subject);
    return r;
  }

  static ObjectNode claim(String id, String patient) {
    ObjectNode c = resource("Claim", id);
    c.putObject("patient").put("reference", patient);
    return c;
  }

  static ObjectNode resource(String type, String id) {
    ObjectNode r = JSON.createObjectNode().put("resourceType", type);
    if (id != null) {
      r.put("id", id);
    }
    return r;
  }

  /** A Bundle builder: {@code bundle("collection").entry("urn:uuid:1", patient(...))}. */
  static BundleBuilder bundle(String type) {
    return new BundleBuilder(type);
  }

  static Path writeNdjson(Path file, ObjectNode... resources) throws IOException {
    StringBuilder text = new StringBuilder();
    for (ObjectNode r : resources) {
      text.append(r.toString()).append('\n');
    }
    return write(file, text.toString());
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    if (file.getFileName().toString().endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return file;
    }
    return Files.writeString(file, text);
  }

  /** Builds a Bundle's JSON entry by entry. */
  static final class BundleBuilder {
    private final ObjectNode bundle = JSON.createObjectNode();
    private final ArrayNode entries;

    private BundleBuilder(String type) {
      bundle.put("resourceType", "Bundle").put("type", type);
      entries = bundle.putArray("entry");
    }

    BundleBuilder entry(String fullUrl, ObjectNode resource) {
      ObjectNode entry = entries.addObject();
      if (fullUrl != null) {
        entry.put("fullUrl", fullUrl);
      }
      entry.set("resource", resource);
      if ("transaction".equals(bundle.get("type").asText())) {
        entry.putObject("request").put("method", "POST").put("url", resource.get("resourceType").asText());
      }
      return this;
    }

    Path writeTo(Path file) throws IOException {
      return write(file, bundle.toPrettyString());
    }
  }
}
