package org.ketamineadvisor.advisor.screen;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.ketamineadvisor.advisor.fhir.files.FhirFileCensus;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;

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

    if (!typesNotExported.isEmpty()) {
      progress.println("screen: the export did not include " + String.join(", ", typesNotExported) + ": the rules "
          + "that read it are unknown for every candidate");
      progress.flush();
    }
    PatientScreen screen = new PatientScreen(terminology, asOf, typesNotExported);
    ScreenOutputs outputs = new ScreenOutputs(outDir, candidates, progress);
    try (outputs) {
      new FhirFileReader(fhir).read(inputs, census::toRead, WrittenCodes.observationsTheRulesRead(terminology),
          patient -> outputs.patient(screen.screen(patient)), outputs::inputProblem);
      outputs.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    ScreenSummary summary = outputs.summarize(asOf, inputs.stream().map(Path::toString).toList(), census.patients(),
        censusTime, took, typesNotExported);
    progress.println("screen: done in " + seconds(took) + ": " + summary.assessed() + " assessed, "
        + summary.notIndicatedUnassessed() + " not indicated without assessment; outputs in " + outDir);
    progress.flush();
    return summary;
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
