package org.ketamineadvisor.advisor.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.AssessmentEngine;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.fhir.mapping.FhirRecordMapper;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The targets of docs/benchmarks.md, measured with JMH ({@code scripts/bench.sh}):
 * rule evaluation against HAPI's parse of the same heavy record, and {@code assess} over the Synthea
 * folder against HAPI parsing the same files and nothing else.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class AssessBenchmark {

  private static final Path HEAVY_DIR = Path.of("src/test/resources/synthea-heavy");
  private static final Path SYNTHEA_DIR = Path.of("src/test/resources/synthea");
  private static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);

  private final FhirContext fhir = FhirContext.forR4Cached();
  private IParser parser;
  private String heavyJson;
  private List<Path> syntheaFiles;
  private PatientResources heavyResources;
  private PatientRecord heavyRecord;
  private FhirRecordMapper mapper;
  private AssessmentEngine engine;
  private PatientAssessor assessor;

  @Setup(Level.Trial)
  public void load() throws IOException {
    parser = fhir.newJsonParser();
    heavyJson = Files.readString(onlyFile(HEAVY_DIR));
    syntheaFiles = jsonFiles(SYNTHEA_DIR);
    engine = new AssessmentEngine(ValueSetTerminology.loadDefault(), new UcumUnitConverter(), RuleSettings.defaults());
    mapper = new FhirRecordMapper();
    assessor = new PatientAssessor(mapper, engine, new InfusionPlanner());
    heavyResources = resourcesOf(parser.parseResource(Bundle.class, heavyJson));
    heavyRecord = mapper.map(heavyResources).record();
  }

  /** HAPI alone: parse the 9,000-observation record. */
  @Benchmark
  public Bundle heavyRecordHapiParse() {
    return parser.parseResource(Bundle.class, heavyJson);
  }

  /** Mapping the parsed heavy record to the app's records (status, dates, units). */
  @Benchmark
  public PatientRecord heavyRecordMapping() {
    return mapper.map(heavyResources).record();
  }

  /** Rule evaluation alone on the mapped heavy record: target ≤ 10 % of the parse. */
  @Benchmark
  public Assessment heavyRecordRuleEvaluation() {
    return engine.assess(heavyRecord, AS_OF);
  }

  /** HAPI alone over the Synthea folder: read and parse every file, one thread. */
  @Benchmark
  public void syntheaFolderHapiParse(Blackhole sink) throws IOException {
    for (Path file : syntheaFiles) {
      sink.consume(parser.parseResource(Bundle.class, Files.newBufferedReader(file)));
    }
  }

  /** HAPI alone over the Synthea folder on every core, as the file reader parses. */
  @Benchmark
  public void syntheaFolderHapiParseAllCores(Blackhole sink) {
    syntheaFiles.parallelStream().forEach(file -> {
      try {
        sink.consume(fhir.newJsonParser().parseResource(Bundle.class, Files.newBufferedReader(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** What {@code assess --input} does: read, group, parse, map, evaluate, plan (output discarded). */
  @Benchmark
  public void syntheaFolderAssess(Blackhole sink) {
    new FhirFileReader(fhir).read(List.of(SYNTHEA_DIR),
        patient -> sink.consume(assessor.assess(patient, AS_OF, List.of(), PlanRequest.defaults())),
        problem -> {
          throw new IllegalStateException(problem.toString());
        });
  }

  static PatientResources resourcesOf(Bundle bundle) {
    Patient patient = null;
    List<Resource> resources = new ArrayList<>();
    List<String> fullUrls = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Patient p) {
        patient = p;
      } else {
        resources.add(entry.getResource());
        fullUrls.add(entry.getFullUrl());
      }
    }
    if (patient == null) {
      throw new IllegalStateException("the benchmark record has no Patient");
    }
    return new PatientResources(patient.getIdElement().getIdPart(), patient, resources, fullUrls, "benchmark");
  }

  private static Path onlyFile(Path dir) throws IOException {
    List<Path> files = jsonFiles(dir);
    if (files.size() != 1) {
      throw new IllegalStateException(dir + " should hold exactly one record, has " + files.size());
    }
    return files.get(0);
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
