package org.ketamineadvisor.advisor.screen;

import ca.uhn.fhir.context.FhirContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.files.FhirFileCensus;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/**
 * Screens an export on disk: fast because it reads less. A census ({@link FhirFileCensus}: Jackson tokens, no FHIR
 * model) finds the candidates, the patients with a neuropathic pain condition code ({@link CandidateCensus}); the
 * reader then reads again, spooling and parsing only the candidates, and each is assessed exactly as
 * {@code assess --input} does (same {@link PatientAssessor}, as-of date and site codes), so its line is the same.
 * <p>
 * Deliberate deviation from {@code assess}: CLINICAL-RULES § 3 puts {@code contraindicated} before
 * {@code not-indicated}, so {@code assess} calls a patient without a neuropathic pain condition but with, say, a
 * psychotic disorder "contraindicated". The screen does not assess such a patient and counts every patient without
 * a neuropathic pain condition as not indicated (IND-NEUROPATHIC not met): for a population worklist, "no indication"
 * is the reason that matters, and finding the contraindication would mean reading everyone in full.
 * <p>
 * Writes to the output folder (owner-only): screen.ndjson ({@link ScreenLine}), worklist.csv ({@link Worklist}),
 * summary.html ({@link SummaryPage}) and problems.txt. The progress (one line per phase) goes to {@code progress},
 * never a patient id.
 */
public final class Screening {

  /** How many problem locations stderr shows; the rest are in problems.txt. */
  static final int LOCATIONS_SHOWN = 5;

  private final Terminology terminology;
  private final PrintWriter progress;
  private final FhirContext fhir = FhirContext.forR4Cached();

  /**
   * @param terminology the value sets with the site's local codes, as {@code assess --local-codes} loads them
   * @param progress where the phase lines go (stderr)
   */
  public Screening(Terminology terminology, PrintWriter progress) {
    this.terminology = terminology;
    this.progress = progress;
  }

  /** Why a resource type is missing from every record when the server's export left it out. */
  public static final String NOT_EXPORTED = "the server's export did not include it";

  /** The types the census reads to find the candidates: without one of them nobody can be found. */
  public static final List<String> CENSUS_TYPES = List.of("Patient", "Condition");

  /**
   * Screens {@code inputs} (files or folders, as {@code assess --input}) as of {@code asOf} and writes the outputs to
   * {@code outDir} (created owner-only when missing; outputs there are replaced).
   */
  public ScreenSummary run(List<Path> inputs, Path outDir, LocalDate asOf) throws IOException {
    return run(inputs, outDir, asOf, List.of());
  }

  /**
   * The census types among {@code typesNotExported}: when there is one, the screen cannot find anybody and must not
   * be run (it would report "0 candidates" for a population it never saw).
   */
  public static List<String> censusTypesMissing(List<String> typesNotExported) {
    return CENSUS_TYPES.stream().filter(typesNotExported::contains).toList();
  }

  /**
   * As {@link #run(List, Path, LocalDate)} for an export that left out {@code typesNotExported} (FHIR resource
   * types): every candidate is assessed with a read problem for each, so the rules that read such a type are
   * unknown, never "not met" (a missing file is not a record without data).
   *
   * @throws IllegalArgumentException when a census type ({@link #CENSUS_TYPES}) is among them
   */
  public ScreenSummary run(List<Path> inputs, Path outDir, LocalDate asOf, List<String> typesNotExported)
      throws IOException {
    List<String> censusMissing = censusTypesMissing(typesNotExported);
    if (!censusMissing.isEmpty()) {
      throw new IllegalArgumentException("the export did not include " + String.join(", ", censusMissing)
          + ": the screen cannot find the patients with a neuropathic pain condition without it");
    }
    List<PatientRecord.ReadProblem> readProblems = typesNotExported.stream().distinct()
        .map(type -> new PatientRecord.ReadProblem(type, NOT_EXPORTED)).toList();
    long started = System.nanoTime();
    OwnerOnlyFiles.createFolder(outDir);
    progress.println("screen: census of " + inputs.size() + " input(s): finding patients with a neuropathic pain "
        + "condition");
    progress.flush();
    CandidateCensus census = new CandidateCensus(terminology);
    new FhirFileCensus(fhir).count(inputs, census);
    census.finish();
    Duration censusTime = Duration.ofNanos(System.nanoTime() - started);
    long candidates = census.candidatesWithPatient();
    progress.println("screen: census done in " + seconds(censusTime) + ": " + census.patients() + " patients, "
        + candidates + " candidate(s) to assess");
    progress.flush();

    if (!readProblems.isEmpty()) {
      progress.println("screen: the export did not include " + String.join(", ", typesNotExported) + ": the rules "
          + "that read it are unknown for every candidate");
      progress.flush();
    }
    Run run = new Run(outDir, candidates, asOf, readProblems);
    try (run) {
      new FhirFileReader(fhir).read(inputs, census::toRead, WrittenCodes.observationsTheRulesRead(terminology),
          run::assess, run::problem);
      run.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long notIndicatedUnassessed = census.patients() - candidates;
    List<ScreenSummary.ReasonCount> reasons = new ArrayList<>();
    reasons.add(new ScreenSummary.ReasonCount(RuleId.IND_NEUROPATHIC.id(), "not-met",
        "no neuropathic pain condition recorded (not assessed)", notIndicatedUnassessed));
    reasons.addAll(run.reasons.values());
    reasons.sort((a, b) -> Long.compare(b.patients(), a.patients()));
    ScreenSummary summary = new ScreenSummary(asOf, inputs.stream().map(Path::toString).toList(), census.patients(),
        candidates, run.verdicts, notIndicatedUnassessed, reasons, run.problems, run.firstLocations, run.warnings,
        run.failures, Math.max(0, candidates - run.assessed - run.failures), censusTime, took,
        run.worklist.patientIds(), typesNotExported);
    SummaryPage.write(summary, outDir);
    progress.println("screen: done in " + seconds(took) + ": " + summary.assessed() + " assessed, "
        + notIndicatedUnassessed + " not indicated without assessment; outputs in " + outDir);
    progress.flush();
    return summary;
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** One screen's open outputs and running counts; the reader calls it patient by patient, in id order. */
  private final class Run implements AutoCloseable {
    private final Path outDir;
    private final long candidates;
    private final LocalDate asOf;
    private final List<PatientRecord.ReadProblem> readProblems;
    private final PatientAssessor assessor = PatientAssessor.withDefaultRules(terminology, new UcumUnitConverter());
    private final PlanRequest planRequest = new PlanRequest(null, null, null);
    private final ScreenLine lines = new ScreenLine();
    private final Path ndjsonPart;
    private final BufferedWriter ndjson;
    private final Path problemsPart;
    private final BufferedWriter problemLines;
    private final Worklist worklist;
    private final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    private final Map<String, ScreenSummary.ReasonCount> reasons = new LinkedHashMap<>();
    private final List<String> firstLocations = new ArrayList<>();
    private final long progressStep;
    private long assessed;
    private int problems;
    private int warnings;
    private int failures;

    Run(Path outDir, long candidates, LocalDate asOf, List<PatientRecord.ReadProblem> readProblems)
        throws IOException {
      this.outDir = outDir;
      this.readProblems = readProblems;
      this.candidates = candidates;
      this.asOf = asOf;
      this.progressStep = Math.max(100, candidates / 10);
      ndjsonPart = OwnerOnlyFiles.newPartFile(outDir, "screen");
      ndjson = OwnerOnlyFiles.writer(ndjsonPart);
      problemsPart = OwnerOnlyFiles.newPartFile(outDir, "problems");
      problemLines = OwnerOnlyFiles.writer(problemsPart);
      worklist = new Worklist(outDir);
      progress.println("screen: assessing 0 of " + candidates + " candidate(s)");
      progress.flush();
    }

    void assess(PatientResources patient) {
      try {
        AssessedPatient result;
        try {
          result = readProblems.isEmpty() ? assessor.assess(patient, asOf, List.of(), planRequest)
              : assessor.assess(patient, readProblems, asOf, List.of(), planRequest);
        } catch (RuntimeException e) {
          failures++;
          problemLines.write("error: " + patient.source() + ": patient " + patient.patientId()
              + " could not be assessed: " + e.getMessage());
          problemLines.newLine();
          return;
        }
        assessed++;
        ndjson.write(lines.line(result));
        ndjson.newLine();
        worklist.add(result);
        verdicts.merge(result.assessment().verdict(), 1L, Long::sum);
        for (Finding f : result.assessment().decidingFindings()) {
          String key = f.rule().id() + " " + f.outcome().code();
          ScreenSummary.ReasonCount old = reasons.get(key);
          reasons.put(key, new ScreenSummary.ReasonCount(f.rule().id(), f.outcome().code(), Worklist.words(f),
              old == null ? 1 : old.patients() + 1));
        }
        List<String> found = new ArrayList<>(result.mappingProblems());
        found.addAll(result.assessment().dataProblems());
        for (String warning : found) {
          warnings++;
          problemLines.write("warning: " + patient.source() + ": " + warning);
          problemLines.newLine();
        }
        if (assessed % progressStep == 0 && assessed < candidates) {
          progress.println("screen: assessing " + assessed + " of " + candidates + " candidate(s)");
          progress.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void problem(InputProblem problem) {
      problems++;
      if (firstLocations.size() < LOCATIONS_SHOWN) {
        firstLocations.add(problem.source());
      }
      try {
        problemLines.write("error: " + problem.source() + ": " + problem.message());
        problemLines.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void finish() throws IOException {
      ndjson.close();
      problemLines.close();
      OwnerOnlyFiles.moveOver(ndjsonPart, outDir.resolve("screen.ndjson"));
      OwnerOnlyFiles.moveOver(problemsPart, outDir.resolve("problems.txt"));
      worklist.finish();
      progress.println("screen: assessed " + assessed + " of " + candidates + " candidate(s)");
      progress.flush();
    }

    /** Removes what is left of the part files (a failed screen leaves the previous outputs whole). */
    @Override
    public void close() throws IOException {
      ndjson.close();
      problemLines.close();
      worklist.close();
      Files.deleteIfExists(ndjsonPart);
      Files.deleteIfExists(problemsPart);
    }
  }
}
