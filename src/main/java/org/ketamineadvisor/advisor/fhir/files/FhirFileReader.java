package org.ketamineadvisor.advisor.fhir.files;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
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
    ThreadLocal<PatientParser> parsers = ThreadLocal.withInitial(() -> new PatientParser(ctx));
    try (PatientSpool spool = new PatientSpool(memoryLimit, tempParent)) {
      KeptResources kept = new KeptResources() {
        @Override
        public void resource(String patientId, SpooledResource resource) {
          spool.add(patientId, resource);
        }

        @Override
        public void medication(SpooledResource medication, boolean inBundle) {
          medications.add(medication, inBundle);
        }
      };
      FhirFileScanner scanner = new FhirFileScanner(knownTypes, new SpoolTarget(kept, wanted, observationCodes),
          problems);
      for (Path file : files(inputs, problems)) {
        scanner.scan(FhirInputFile.of(file));
      }
      // HAPI parsing dominates; patients are parsed ahead on every core but handed on in order,
      // with at most a few patients in flight so memory stays bounded by a handful of patients
      Deque<Future<PatientParser.ParsedPatient>> inFlight = new ArrayDeque<>();
      spool.drainInOrder((patientId, spooled) -> {
        inFlight.add(parsing.submit(() -> parsers.get().parse(patientId, spooled, medications)));
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

  /**
   * The first half of {@link #read} for one file: what it holds of the {@code wanted} patients (their resources, in
   * file order, with file and line) and every Medication go to {@code kept}; what cannot be used goes to
   * {@code problems}, exactly as {@link #read} reports it. {@link PatientParser} is the second half, per patient.
   * For a reader spread over machines (the Spark job), which reads each file in a task of its own.
   */
  public void keep(FhirInputFile file, Predicate<String> wanted, Predicate<List<Code>> observationCodes,
      KeptResources kept, Consumer<InputProblem> problems) {
    new FhirFileScanner(knownTypes, new SpoolTarget(kept, wanted, observationCodes), problems).scan(file);
  }

  private static void handOn(Future<PatientParser.ParsedPatient> next, Consumer<PatientResources> sink,
      Consumer<InputProblem> problems) {
    PatientParser.ParsedPatient parsed;
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
    return isFhirFileName(file.getFileName().toString());
  }

  /** Whether a file in a folder is read: *.json, *.ndjson, and the same .gz (any case); for listings elsewhere too. */
  public static boolean isFhirFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".ndjson") || name.endsWith(".json.gz")
        || name.endsWith(".ndjson.gz");
  }
}
