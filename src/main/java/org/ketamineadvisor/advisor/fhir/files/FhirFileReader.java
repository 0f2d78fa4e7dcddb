package org.ketamineadvisor.advisor.fhir.files;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ketamineadvisor.advisor.terminology.Code;

/**
 * Reads exported FHIR R4 files (Bundles in *.json, Bulk Data *.ndjson, folders of them, optionally
 * gzipped) and hands over one patient at a time, in ascending patient-id order. Memory is bounded by
 * one patient, not by the input: a first pass routes raw JSON to a spool by patient (see
 * {@link PatientSpool}), a second parses each patient's resources with HAPI, once each.
 */
public final class FhirFileReader {

  /** Estimated heap bytes of raw JSON held before the spool moves to disk (about 64 MB of text). */
  static final long DEFAULT_MEMORY_LIMIT = 128L * 1024 * 1024;
  private static final int MAX_PARSE_THREADS = 4;

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
    read(inputs, patientId -> true, sink, problems);
  }

  /**
   * As {@link #read(List, Consumer, Consumer)}, reading only the patients {@code wanted} accepts (by patient id):
   * the others' resources are dropped after their header, never spooled or parsed, so nothing is reported about
   * them beyond what the header shows (a line that is not JSON, a resource without a patient). Shared Medications
   * are kept as always.
   */
  public void read(List<Path> inputs, Predicate<String> wanted, Consumer<PatientResources> sink,
      Consumer<InputProblem> problems) {
    read(inputs, wanted, null, sink, problems);
  }

  /**
   * As {@link #read(List, Predicate, Consumer, Consumer)}, keeping an Observation only when
   * {@code observationCodes} accepts its {@code code.coding[]} (non-blank codes as written; null keeps all): the
   * screen keeps those whose code a rule reads, so the others are never parsed. A dropped Observation is not
   * checked beyond its header, so a problem further on in it is not reported.
   */
  public void read(List<Path> inputs, Predicate<String> wanted, Predicate<List<Code>> observationCodes,
      Consumer<PatientResources> sink, Consumer<InputProblem> problems) {
    MedicationStash medications = new MedicationStash();
    int threads = Math.max(1, Math.min(MAX_PARSE_THREADS, Runtime.getRuntime().availableProcessors()));
    ExecutorService parsing = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "fhir-file-parser");
      thread.setDaemon(true);
      return thread;
    });
    ThreadLocal<ResourceParser> parsers = ThreadLocal.withInitial(() -> new ResourceParser(ctx));
    try (PatientSpool spool = new PatientSpool(memoryLimit, tempParent)) {
      FhirFileScanner scanner = new FhirFileScanner(knownTypes,
          new SpoolTarget(spool, medications, wanted, observationCodes),
          problems);
      for (Path file : files(inputs, problems)) {
        scanner.scan(file);
      }
      // HAPI parsing dominates; patients are parsed ahead on every core but handed on in order,
      // with at most a few patients in flight so memory stays bounded by a handful of patients
      Deque<Future<ParsedPatient>> inFlight = new ArrayDeque<>();
      spool.drainInOrder((patientId, spooled) -> {
        inFlight.add(parsing.submit(() -> parse(patientId, spooled, parsers.get(), medications)));
        if (inFlight.size() > 2 * threads) {
          handOn(inFlight.poll(), sink, problems);
        }
      });
      while (!inFlight.isEmpty()) {
        handOn(inFlight.poll(), sink, problems);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the temporary spool directory", e);
    } finally {
      parsing.shutdownNow();
    }
  }

  private static void handOn(Future<ParsedPatient> next, Consumer<PatientResources> sink,
      Consumer<InputProblem> problems) {
    ParsedPatient parsed;
    try {
      parsed = next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading FHIR files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    parsed.problems().forEach(problems);
    if (parsed.resources() != null) {
      sink.accept(parsed.resources());
    }
  }

  /** One patient after HAPI parsing: its resources (null if it cannot be handed on) and what went wrong. */
  private record ParsedPatient(PatientResources resources, List<InputProblem> problems) {
  }

  private static ParsedPatient parse(String patientId, List<SpooledResource> spooled, ResourceParser parser,
      MedicationStash medications) {
    List<InputProblem> problems = new ArrayList<>();
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
      Resource parsed = parser.parse(r, problems);
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
      problems.add(new InputProblem(spooled.get(0).location(), spooled.size() + " resource(s) such as "
          + spooled.get(0).label() + " refer to patient '" + patientId + "' but no input holds Patient/" + patientId
          + "; skipped them (add that patient's Patient resource to the input)"));
      return new ParsedPatient(null, problems);
    }
    for (String[] reference : medicationReferences) {
      SpooledResource medication = medications.find(reference[0], reference[1]);
      if (medication != null && seen.add(identity(medication))) {
        Resource parsed = parser.parse(medication, problems);
        if (parsed != null) {
          resources.add(parsed);
          fullUrls.add(medication.fullUrl());
        }
      }
    }
    return new ParsedPatient(new PatientResources(patientId, patient, resources, fullUrls, String.join(", ", files)),
        problems);
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
  static List<Path> files(List<Path> inputs, Consumer<InputProblem> problems) {
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

  /** One HAPI parser with its issue collector; not thread-safe, so one per thread. */
  private static final class ResourceParser {
    private final IParser parser;
    private final ParseIssues issues = new ParseIssues();

    ResourceParser(FhirContext ctx) {
      parser = ctx.newJsonParser();
      parser.setParserErrorHandler(issues);
    }

    /** The parsed resource, or null (reported to {@code problems}) when HAPI cannot read it. */
    Resource parse(SpooledResource r, List<InputProblem> problems) {
      issues.drain();
      IBaseResource parsed;
      try {
        parsed = parser.parseResource(r.json());
      } catch (DataFormatException e) {
        problems.add(new InputProblem(r.location(), r.label() + " could not be read as FHIR R4 ("
            + e.getMessage() + "); skipped"));
        return null;
      }
      List<String> found = issues.drain();
      if (!found.isEmpty()) {
        problems.add(new InputProblem(r.location(), r.label() + ": " + String.join("; ", found)
            + " (the rest of it was read; check that it is FHIR R4)"));
      }
      return (Resource) parsed;
    }
  }
}
