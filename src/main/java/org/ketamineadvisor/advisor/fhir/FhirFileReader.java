package org.ketamineadvisor.advisor.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * Reads exported FHIR R4 files (Bundles in *.json, Bulk Data *.ndjson, folders of them, optionally
 * gzipped) and hands over one patient at a time, in ascending patient-id order. Memory is bounded by
 * one patient, not by the input: a first pass routes raw JSON to a spool by patient (see
 * {@link PatientSpool}), a second parses each patient's resources with HAPI, once each.
 */
public final class FhirFileReader {

  /** Estimated heap bytes of raw JSON held before the spool moves to disk (about 64 MB of text). */
  static final long DEFAULT_MEMORY_LIMIT = 128L * 1024 * 1024;

  private final FhirContext ctx;
  private final Set<String> knownTypes;
  private final long memoryLimit;
  private final Path tempParent;

  public FhirFileReader(FhirContext ctx) {
    this(ctx, DEFAULT_MEMORY_LIMIT, null);
  }

  /** For tests: a small {@code memoryLimit} forces the on-disk path; {@code tempParent} null = system temp. */
  FhirFileReader(FhirContext ctx, long memoryLimit, Path tempParent) {
    this.ctx = ctx;
    this.knownTypes = Set.copyOf(ctx.getResourceTypes());
    this.memoryLimit = memoryLimit;
    this.tempParent = tempParent;
  }

  /**
   * Reads every input (a file or a folder, searched recursively for *.json, *.ndjson and their .gz)
   * and calls {@code sink} once per patient in ascending id order. Each unusable file, line or
   * resource is reported to {@code problems} and skipped; the rest is still read.
   */
  public void read(List<Path> inputs, Consumer<PatientResources> sink, Consumer<InputProblem> problems) {
    MedicationStash medications = new MedicationStash();
    try (PatientSpool spool = new PatientSpool(memoryLimit, tempParent)) {
      FhirFileScanner scanner = new FhirFileScanner(knownTypes, spool, medications, problems);
      for (Path file : files(inputs, problems)) {
        scanner.scan(file);
      }
      IParser parser = ctx.newJsonParser();
      ParseIssues issues = new ParseIssues();
      parser.setParserErrorHandler(issues);
      spool.drainInOrder((patientId, spooled) ->
          emit(patientId, spooled, new ResourceParser(parser, issues, problems), medications, sink, problems));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the temporary spool directory", e);
    }
  }

  private void emit(String patientId, List<SpooledResource> spooled, ResourceParser parser,
      MedicationStash medications, Consumer<PatientResources> sink, Consumer<InputProblem> problems) {
    Patient patient = null;
    List<Resource> resources = new ArrayList<>();
    List<String> fullUrls = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> files = new LinkedHashSet<>();
    List<String[]> medicationReferences = new ArrayList<>();
    for (SpooledResource r : spooled) {
      // the same resource in two inputs (a Bundle and an NDJSON export) is read once
      if (!seen.add(identity(r))) {
        continue;
      }
      Resource parsed = parser.parse(r);
      if (parsed == null) {
        continue;
      }
      files.add(r.file());
      if (parsed instanceof Patient p) {
        if (patient == null) {
          patient = p;
        }
        continue;
      }
      resources.add(parsed);
      fullUrls.add(r.fullUrl());
      String reference = medicationReference(parsed);
      if (reference != null) {
        medicationReferences.add(new String[] {r.file(), reference});
      }
    }
    if (patient == null) {
      problems.accept(new InputProblem(spooled.get(0).location(), spooled.size() + " resource(s) such as "
          + spooled.get(0).label() + " refer to patient '" + patientId + "' but no input holds Patient/" + patientId
          + "; skipped them (add that patient's Patient resource to the input)"));
      return;
    }
    for (String[] reference : medicationReferences) {
      SpooledResource medication = medications.find(reference[0], reference[1]);
      if (medication != null && seen.add(identity(medication))) {
        Resource parsed = parser.parse(medication);
        if (parsed != null) {
          resources.add(parsed);
          fullUrls.add(medication.fullUrl());
        }
      }
    }
    sink.accept(new PatientResources(patientId, patient, resources, fullUrls, String.join(", ", files)));
  }

  private static String identity(SpooledResource r) {
    if (r.id() != null) {
      return r.resourceType() + "/" + r.id();
    }
    return r.fullUrl() != null ? r.fullUrl() : r.location() + "#" + System.identityHashCode(r);
  }

  private static String medicationReference(Resource resource) {
    Type medication = resource instanceof MedicationRequest request ? request.getMedication()
        : resource instanceof MedicationStatement statement ? statement.getMedication() : null;
    return medication instanceof Reference reference && reference.hasReference()
        && !reference.getReference().startsWith("#") ? reference.getReference() : null;
  }

  /** The files to read, in a stable order; missing paths and empty folders are reported. */
  private static List<Path> files(List<Path> inputs, Consumer<InputProblem> problems) {
    Set<Path> files = new LinkedHashSet<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(input)) {
          found = walk.filter(Files::isRegularFile).filter(FhirFileReader::isFhirFileName).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
          problems.accept(new InputProblem(input.toString(), "folder could not be listed (" + e.getMessage()
              + "); check its permissions"));
          continue;
        }
        if (found.isEmpty()) {
          problems.accept(new InputProblem(input.toString(),
              "folder holds no *.json or *.ndjson files (optionally .gz); nothing read from it"));
        }
        files.addAll(found);
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        problems.accept(new InputProblem(input.toString(), "no such file or folder; check the path"));
      }
    }
    return List.copyOf(files);
  }

  private static boolean isFhirFileName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".ndjson") || name.endsWith(".json.gz")
        || name.endsWith(".ndjson.gz");
  }

  /** One HAPI parser (not thread-safe, so one per read) and the problems it reports. */
  private record ResourceParser(IParser parser, ParseIssues issues, Consumer<InputProblem> problems) {

    /** The parsed resource, or null (reported) when HAPI cannot read it. */
    Resource parse(SpooledResource r) {
      issues.drain();
      IBaseResource parsed;
      try {
        parsed = parser.parseResource(r.json());
      } catch (DataFormatException e) {
        problems.accept(new InputProblem(r.location(), r.label() + " could not be read as FHIR R4 ("
            + e.getMessage() + "); skipped"));
        return null;
      }
      List<String> found = issues.drain();
      if (!found.isEmpty()) {
        problems.accept(new InputProblem(r.location(), r.label() + ": " + String.join("; ", found)
            + " (the rest of it was read; check that it is FHIR R4)"));
      }
      return (Resource) parsed;
    }
  }
}
