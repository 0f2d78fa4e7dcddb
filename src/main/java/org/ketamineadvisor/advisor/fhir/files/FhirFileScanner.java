package org.ketamineadvisor.advisor.fhir.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Pass 1 of reading files: finds each resource's patient cheaply (Jackson streaming, no HAPI) and
 * hands it to its {@link ScanTarget}: the reader's {@link SpoolTarget} puts its raw JSON in the
 * {@link PatientSpool} (Medications in a small in-memory stash, as they belong to no patient), the
 * screening census ({@link FhirFileCensus}) only notes who has which Condition codes. Resource types
 * the target does not use are dropped here unparsed.
 */
final class FhirFileScanner {

  /** The resources the mapping reads; Patient and Medication are handled apart. */
  static final Set<String> PATIENT_RESOURCES = Set.of("Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance");

  // the reference's last "Patient/<id>" (relative or absolute, maybe with _history)
  private static final Pattern PATIENT_REFERENCE = Pattern.compile("(?:^|/)Patient/([^/]+)(?:/_history/[^/]*)?$");
  private static final String UUID_PREFIX = "urn:uuid:";

  private final JsonFactory json;
  private final ObjectMapper tree;
  private final Set<String> knownTypes;
  private final ScanTarget target;
  private final Consumer<InputProblem> problems;

  FhirFileScanner(Set<String> knownTypes, ScanTarget target, Consumer<InputProblem> problems) {
    this.tree = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.json = tree.getFactory();
    this.knownTypes = knownTypes;
    this.target = target;
    this.problems = problems;
  }

  static boolean isNdjson(FhirInputFile file) {
    String name = file.name().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".ndjson") || name.endsWith(".ndjson.gz") || name.endsWith(".jsonl")
        || name.endsWith(".jsonl.gz");
  }

  void scan(FhirInputFile file) {
    try {
      if (isNdjson(file)) {
        scanNdjson(file);
      } else {
        scanJson(file);
      }
    } catch (IOException e) {
      problems.accept(new InputProblem(file.name(), "could not be read (" + describe(e)
          + "); check that the file is readable and, if compressed, complete"));
    }
  }

  private void scanNdjson(FhirInputFile file) throws IOException {
    String name = file.name();
    try (NdjsonLines lines = new NdjsonLines(open(file))) {
      boolean any = false;
      while (lines.next()) {
        if (lines.isBlank()) {
          continue;
        }
        any = true;
        target.resourceFound();
        if (target.skipsQuickly()) {
          String patientId = QuickSubject.patientId(lines.bytes(), lines.offset(), lines.length());
          if (patientId != null && target.dropsPatient(patientId)) {
            continue;
          }
        }
        Candidate line;
        try {
          line = readNdjsonLine(lines);
        } catch (JsonProcessingException e) {
          problems.accept(new InputProblem(name + ", line " + lines.number(), "not valid JSON at column "
              + e.getLocation().getColumnNr() + ": " + JsonProblems.inWords(e)
              + "; line skipped (each line must hold one whole FHIR resource)"));
          continue;
        }
        if (isUnusedKnownType(line.header().resourceType())) {
          continue;  // what route() would drop silently, without building its location: most lines of a census
        }
        route(line, name, name + ", line " + lines.number(), null);
      }
      if (!any) {
        problems.accept(new InputProblem(name, "file is empty; expected one FHIR resource per line"));
      }
    }
  }

  /**
   * Reads a line's header from its bytes, and decodes its text only if it is used (most lines are not). A line the
   * bytes do not give a header for is read again as text, so that what is reported, and what invalid UTF-8 reads
   * as, is exactly what reading it as text gives.
   */
  private Candidate readNdjsonLine(NdjsonLines lines) throws IOException {
    try {
      return new Candidate(ResourceHeader.read(json, lines.bytes(), lines.offset(), lines.length(), this::need),
          null, lines);
    } catch (JsonProcessingException e) {
      String text = lines.text();
      return new Candidate(ResourceHeader.read(json, text, this::need), null, text);
    }
  }

  private void scanJson(FhirInputFile file) throws IOException {
    String name = file.name();
    List<Candidate> entries = new ArrayList<>();
    boolean bundle;
    try (JsonParser p = json.createParser(open(file))) {
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.accept(new InputProblem(name, "file is empty; expected a FHIR Bundle or resource in JSON"));
        return;
      }
      if (first != JsonToken.START_OBJECT) {
        problems.accept(new InputProblem(name, "expected a JSON object (a FHIR Bundle or resource) but the file starts"
            + " with " + first.asString() + "; is it NDJSON? then name it *.ndjson"));
        return;
      }
      // the usual shape streams entry by entry; anything else is read whole (it is one file)
      if (p.nextToken() == JsonToken.FIELD_NAME && "resourceType".equals(p.currentName())
          && p.nextToken() == JsonToken.VALUE_STRING && "Bundle".equals(p.getText())) {
        streamBundle(p, entries);
        bundle = true;
      } else {
        p.close();
        bundle = readWhole(file, entries);
      }
    } catch (JsonProcessingException e) {
      problems.accept(new InputProblem(name, "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + JsonProblems.inWords(e) + "; file skipped, fix or re-export it"));
      return;
    }
    if (bundle) {
      routeBundle(name, entries);
    } else {
      target.resourceFound();
      route(readHeader(entries.get(0)), name, name, null);
    }
  }

  private void streamBundle(JsonParser p, List<Candidate> entries) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("entry".equals(field) && value == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          streamEntry(p, entries);
        }
      } else {
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new JsonParseException(p, "unexpected " + t + " in the Bundle");
    }
    if (p.nextToken() != null) {
      throw new JsonParseException(p, "more content after the Bundle ended");
    }
  }

  private void streamEntry(JsonParser p, List<Candidate> entries) throws IOException {
    String fullUrl = null;
    String resource = null;
    boolean hadResource = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("fullUrl".equals(field) && value == JsonToken.VALUE_STRING) {
        fullUrl = p.getText();
      } else if ("resource".equals(field) && value == JsonToken.START_OBJECT) {
        hadResource = true;
        resource = copyUnlessUnused(p);
      } else {
        p.skipChildren();
      }
    }
    if (hadResource) {
      entries.add(new Candidate(null, fullUrl, resource));
    }
  }

  /** The resource's JSON text, or null when its type is known and of no use (skipped, not copied). */
  private String copyUnlessUnused(JsonParser p) throws IOException {
    StringWriter text = new StringWriter(4096);
    try (JsonGenerator out = json.createGenerator(text)) {
      out.writeStartObject();
      JsonToken t = p.nextToken();
      if (t == JsonToken.FIELD_NAME && "resourceType".equals(p.currentName())) {
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_STRING && need(p.getText()) == ResourceHeader.Need.TYPE
            && knownTypes.contains(p.getText())) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
            p.skipChildren();
          }
          return null;
        }
        out.writeFieldName("resourceType");
        out.copyCurrentStructure(p);
        t = p.nextToken();
      }
      while (t == JsonToken.FIELD_NAME) {
        out.writeFieldName(p.currentName());
        p.nextToken();
        out.copyCurrentStructure(p);
        t = p.nextToken();
      }
      out.writeEndObject();
    }
    return text.toString();
  }

  /** Reads a file that is not a plain streamed Bundle; tells whether it is a Bundle. */
  private boolean readWhole(FhirInputFile file, List<Candidate> entries) throws IOException {
    JsonNode root;
    try (InputStream in = open(file)) {
      root = tree.readTree(in);
    }
    if ("Bundle".equals(root.path("resourceType").asText(null))) {
      for (JsonNode entry : root.path("entry")) {
        JsonNode resource = entry.get("resource");
        if (resource != null && resource.isObject()) {
          entries.add(new Candidate(null, entry.path("fullUrl").asText(null), resource.toString()));
        }
      }
      return true;
    }
    entries.add(new Candidate(null, null, root.toString()));
    return false;
  }

  /** Routes a Bundle's entries once the Patient entries' fullUrls are known (they may come last). */
  private void routeBundle(String file, List<Candidate> raw) throws IOException {
    List<Candidate> entries = new ArrayList<>(raw.size());
    Map<String, String> patientByFullUrl = new HashMap<>();
    for (Candidate c : raw) {
      target.resourceFound();
      if (c.json() == null) {
        continue;
      }
      Candidate read = readHeader(c);
      entries.add(read);
      if ("Patient".equals(read.header().resourceType()) && c.fullUrl() != null) {
        String id = patientIdOf(read);
        if (id != null) {
          patientByFullUrl.put(c.fullUrl(), id);
        }
      }
    }
    if (raw.isEmpty()) {
      problems.accept(new InputProblem(file, "the Bundle has no entries with a resource; nothing to read in it"));
    }
    for (Candidate c : entries) {
      route(c, file, file, patientByFullUrl);
    }
  }

  /** Reads the header of text Jackson itself produced, so it is valid JSON. */
  private Candidate readHeader(Candidate c) throws IOException {
    try {
      return new Candidate(ResourceHeader.read(json, c.json(), this::need), c.fullUrl(), c.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a resource copied by Jackson could not be read back", e);
    }
  }

  /**
   * Hands one resource to the target (the spool, the Medication stash, the census), or reports why not.
   * {@code patientByFullUrl} is null outside a Bundle.
   */
  private void route(Candidate c, String file, String location, Map<String, String> patientByFullUrl) {
    ResourceHeader h = c.header();
    String type = h.resourceType();
    if (type == null) {
      problems.accept(new InputProblem(location, "a resource has no resourceType; skipped (is this FHIR JSON?)"));
      return;
    }
    if (!knownTypes.contains(type)) {
      problems.accept(new InputProblem(location, "resourceType '" + type + "' is not a FHIR R4 resource; skipped"
          + " (check the spelling and that the export is FHIR R4)"));
      return;
    }
    switch (need(type)) {
      case TYPE -> {
        if ("Bundle".equals(type)) {
          problems.accept(new InputProblem(location, "a Bundle inside an NDJSON file or another Bundle is not read;"
              + " save it as its own .json file"));
        }
      }
      case ID -> {
        if ("Medication".equals(type)) {
          SpooledResource medication = new SpooledResource(file, location, c.fullUrl(), type, h.id(), c.json());
          if (patientByFullUrl == null && h.id() == null) {
            problems.accept(new InputProblem(location, "a Medication has no id, so nothing can refer to it; skipped"));
          } else {
            target.medication(medication, patientByFullUrl != null);
          }
          return;
        }
        String patientId = patientIdOf(c);
        if (patientId == null) {
          problems.accept(new InputProblem(location, "a Patient has no id; skipped (give it an id or a urn:uuid fullUrl)"));
          return;
        }
        target.patientResource(patientId, h, () -> new SpooledResource(file, location, c.fullUrl(), type, patientId,
            c.json()));
      }
      case ID_AND_REFERENCE, REFERENCE_AND_CODE, ID_REFERENCE_AND_CODE -> {
        String reference = h.patientPointer();
        String element = "AllergyIntolerance".equals(type) ? "patient" : "subject";
        if (reference == null) {
          problems.accept(new InputProblem(location, h.label() + " has no " + element + " reference; skipped"
              + " (every " + type + " must say whose it is)"));
          return;
        }
        String patientId = patientByFullUrl == null ? null : patientByFullUrl.get(reference);
        if (patientId == null) {
          patientId = patientIdIn(reference);
        }
        if (patientId == null) {
          problems.accept(new InputProblem(location, h.label() + " has " + element + " '" + reference
              + "', which is not a Patient reference; skipped"));
          return;
        }
        target.patientResource(patientId, h, () -> new SpooledResource(file, location, c.fullUrl(), type, h.id(),
            c.json()));
      }
    }
  }

  /** The id of a Patient entry: its own id, else the uuid of its urn:uuid fullUrl. */
  private static String patientIdOf(Candidate patient) {
    String id = patient.header().id();
    if (id != null && !id.isBlank()) {
      return id;
    }
    String fullUrl = patient.fullUrl();
    return fullUrl != null && fullUrl.startsWith(UUID_PREFIX) ? fullUrl.substring(UUID_PREFIX.length()) : null;
  }

  /**
   * The patient id in a reference not resolved inside its Bundle: "Patient/1", an absolute URL ending
   * in Patient/1, or "urn:uuid:X" read as id X (Synthea gives Patients ids equal to their uuid).
   */
  static String patientIdIn(String reference) {
    if (reference.startsWith(UUID_PREFIX)) {
      String uuid = reference.substring(UUID_PREFIX.length());
      return uuid.isBlank() ? null : uuid;
    }
    Matcher m = PATIENT_REFERENCE.matcher(reference);
    return m.find() ? m.group(1) : null;
  }

  /** A known type the target reads nothing of and that is not worth a problem (a nested Bundle is). */
  private boolean isUnusedKnownType(String type) {
    return type != null && knownTypes.contains(type) && !"Bundle".equals(type) && need(type) == ResourceHeader.Need.TYPE;
  }

  private ResourceHeader.Need need(String type) {
    return target.need(type);
  }

  private static InputStream open(FhirInputFile file) throws IOException {
    InputStream in = file.open();
    return file.name().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
        ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * A resource's text with its Bundle fullUrl; the header is null until read. An NDJSON line's text is decoded from
   * its bytes when first asked for, before the next line is read.
   */
  private static final class Candidate {
    private final ResourceHeader header;
    private final String fullUrl;
    private String json;
    private NdjsonLines line;

    Candidate(ResourceHeader header, String fullUrl, String json) {
      this.header = header;
      this.fullUrl = fullUrl;
      this.json = json;
    }

    Candidate(ResourceHeader header, String fullUrl, NdjsonLines line) {
      this(header, fullUrl, (String) null);
      this.line = line;
    }

    ResourceHeader header() {
      return header;
    }

    String fullUrl() {
      return fullUrl;
    }

    /** The resource's JSON text; null for a Bundle entry not copied because it is of no use. */
    String json() {
      if (json == null && line != null) {
        json = line.text();
        line = null;
      }
      return json;
    }
  }
}
