package org.ketamineadvisor.advisor.screen;

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
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;

/**
 * A screen's output folder while it is written, and its running counts: screen.ndjson ({@link ScreenLine}),
 * worklist.csv ({@link Worklist}), problems.txt, then summary.html ({@link SummaryPage}). Patients come in ascending
 * id order, each once, as {@link ScreenedPatient}s; the input problems found before them (unreadable files, broken
 * lines) come first. Every file is written under a temporary name and moved in place at the end, so a screen that
 * fails leaves the previous outputs whole. {@link Screening} writes through it; so does the Spark job, on its driver,
 * which is why the files are the same.
 */
public final class ScreenOutputs implements AutoCloseable {

  private final Path outDir;
  private final long candidates;
  private final PrintWriter progress;
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

  /**
   * Opens the outputs in {@code outDir} (created owner-only when missing) for {@code candidates} candidates; the
   * progress lines (counts only, never a patient id) go to {@code progress}.
   */
  public ScreenOutputs(Path outDir, long candidates, PrintWriter progress) throws IOException {
    OwnerOnlyFiles.createFolder(outDir);
    this.outDir = outDir;
    this.candidates = candidates;
    this.progress = progress;
    this.progressStep = Math.max(100, candidates / 10);
    ndjsonPart = OwnerOnlyFiles.newPartFile(outDir, "screen");
    ndjson = OwnerOnlyFiles.writer(ndjsonPart);
    problemsPart = OwnerOnlyFiles.newPartFile(outDir, "problems");
    problemLines = OwnerOnlyFiles.writer(problemsPart);
    worklist = new Worklist(outDir);
    progress.println("screen: assessing 0 of " + candidates + " candidate(s)");
    progress.flush();
  }

  /** Writes and counts one screened patient: its reading problems, then its line, worklist row and warnings. */
  public void patient(ScreenedPatient patient) {
    patient.readProblems().forEach(this::inputProblem);
    try {
      if (patient.failure() != null) {
        failures++;
        problemLines.write("error: " + patient.source() + ": patient " + patient.patientId()
            + " could not be assessed: " + patient.failure());
        problemLines.newLine();
        return;
      }
      if (!patient.assessed()) {
        return;
      }
      assessed++;
      ndjson.write(patient.line());
      ndjson.newLine();
      worklist.add(patient);
      verdicts.merge(patient.verdict(), 1L, Long::sum);
      for (ScreenSummary.ReasonCount reason : patient.deciding()) {
        String key = reason.rule() + " " + reason.outcome();
        ScreenSummary.ReasonCount old = reasons.get(key);
        reasons.put(key, new ScreenSummary.ReasonCount(reason.rule(), reason.outcome(), reason.words(),
            old == null ? 1 : old.patients() + 1));
      }
      for (String warning : patient.warnings()) {
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

  /** Writes and counts a problem with the input (where, what); the first few locations are kept for stderr. */
  public void inputProblem(InputProblem problem) {
    problems++;
    if (firstLocations.size() < Screening.LOCATIONS_SHOWN) {
      firstLocations.add(problem.source());
    }
    try {
      problemLines.write("error: " + problem.source() + ": " + problem.message());
      problemLines.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Candidates assessed so far. */
  public long assessed() {
    return assessed;
  }

  /** Moves screen.ndjson, problems.txt and worklist.csv in place. */
  public void finish() throws IOException {
    ndjson.close();
    problemLines.close();
    OwnerOnlyFiles.moveOver(ndjsonPart, outDir.resolve("screen.ndjson"));
    OwnerOnlyFiles.moveOver(problemsPart, outDir.resolve("problems.txt"));
    worklist.finish();
    progress.println("screen: assessed " + assessed + " of " + candidates + " candidate(s)");
    progress.flush();
  }

  /**
   * The screen's counts, after {@link #finish()}, and its summary.html: {@code patients} distinct Patient ids of
   * which {@code candidates} (with a neuropathic pain condition) were to be assessed; everyone else is counted as
   * not indicated (IND-NEUROPATHIC not met) without an assessment.
   */
  public ScreenSummary summarize(LocalDate asOf, List<String> inputs, long patients, Duration census, Duration took,
      List<String> typesNotExported) throws IOException {
    long notIndicatedUnassessed = patients - candidates;
    List<ScreenSummary.ReasonCount> all = new ArrayList<>();
    all.add(new ScreenSummary.ReasonCount(RuleId.IND_NEUROPATHIC.id(), "not-met",
        "no neuropathic pain condition recorded (not assessed)", notIndicatedUnassessed));
    all.addAll(reasons.values());
    all.sort((a, b) -> Long.compare(b.patients(), a.patients()));
    ScreenSummary summary = new ScreenSummary(asOf, inputs, patients, candidates, verdicts, notIndicatedUnassessed,
        all, problems, firstLocations, warnings, failures, Math.max(0, candidates - assessed - failures), census,
        took, worklist.patientIds(), typesNotExported);
    SummaryPage.write(summary, outDir);
    return summary;
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
