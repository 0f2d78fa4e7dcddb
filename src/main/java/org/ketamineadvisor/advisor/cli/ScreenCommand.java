package org.ketamineadvisor.advisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketamineadvisor.advisor.fhir.bulk.BulkException;
import org.ketamineadvisor.advisor.fhir.bulk.ExportResult;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.screen.CandidateGroupWrite;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.screen.Screening;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code screen}: a population screen of an export on disk ({@code --input}), or of a server's Bulk Data export
 * ({@code --fhir-base}), downloaded first into {@code OUT/export} (resuming an interrupted one) and then screened the
 * same way (docs/command-line.md, the screen sections). Only options and the call: the work is {@link Screening} and
 * {@link BulkDownloadRun}.
 */
@Command(name = "screen", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Screens every patient of an export (Bulk Data NDJSON, Bundles, folders, .gz)",
        "for IV ketamine: patients with a neuropathic pain condition are assessed as",
        "'assess' does; everyone else is counted as not indicated. With --fhir-base the",
        "server's Bulk Data export is downloaded into OUT/export first (an interrupted",
        "one is resumed by the same command), then screened. Writes screen.ndjson,",
        "worklist.csv, summary.html and problems.txt to --out (readable by the owner",
        "only).",
        "Exit status: 0 all read and screened;",
        "  1 internal error (a patient could not be assessed; see problems.txt);",
        "  2 bad usage, or some input was unreadable (where: on stderr; what: in",
        "    problems.txt; every other patient is still screened), or the export could",
        "    not be done (the server refused it, a file could not be downloaded): what",
        "    was completed is kept and the same command resumes;",
        "  3 the export is incomplete: the server could not export some files (its",
        "    error files, named on stderr) or left out resource types (named; the rules",
        "    reading them are unknown): the rest is screened; without Patient or",
        "    Condition nothing can be screened;",
        "  4 --write-group not done: nothing was written (reason on stderr; also when",
        "    the screen is incomplete or found no patients);",
        "  5 --write-group outcome unknown: the answer was lost; check the server."})
final class ScreenCommand implements Callable<Integer> {

  @Option(names = "--input", paramLabel = "PATH",
      description = "An NDJSON file, a Bundle JSON file, or a folder of them, optionally .gz (repeatable). Not with "
          + "--fhir-base.")
  List<Path> inputs;

  @Mixin
  BulkOptions bulk = new BulkOptions();

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The folder to write to (created when missing; earlier outputs in it are replaced); with "
          + "--fhir-base the export goes to DIR/export.")
  Path out;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "The date every window is measured back from (default: today).")
  LocalDate asOf;

  @Option(names = "--write-group",
      description = "After the screen, write the worklist's patients as a FHIR Group and the counts as a "
          + "MeasureReport to the --fhir-base server, in one transaction (its token also asks for "
          + CandidateGroupWrite.SCOPES + "). Only with --fhir-base.")
  boolean writeGroup;

  @Option(names = "--local-codes", paramLabel = "FILE",
      description = "Site codes added to the value sets: TSV with header valueSet, system, code, display, group.")
  Path localCodes;

  @Spec
  CommandSpec spec;

  private final Clock clock;
  private final PrintWriter stdout;
  private final PrintWriter err;

  ScreenCommand(Clock clock, PrintWriter out, PrintWriter err) {
    this.clock = clock;
    this.stdout = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    bulk.check(spec.commandLine());
    boolean fromServer = bulk.fhirBase != null;
    if (fromServer == (inputs != null && !inputs.isEmpty())) {
      throw new ParameterException(spec.commandLine(), fromServer
          ? "--input and --fhir-base do not go together: screen an export on disk (--input) or a server's (--fhir-base)"
          : "give --input PATH (an export on disk) or --fhir-base URL (a server's Bulk Data export)");
    }
    // a mistyped path would screen part of the population under the whole one's name: refuse before reading
    for (Path input : fromServer ? List.<Path>of() : inputs) {
      if (!Files.exists(input)) {
        throw new ParameterException(spec.commandLine(), "--input " + input + ": no such file or folder; check "
            + "the path");
      }
    }
    if (writeGroup && !fromServer) {
      throw new ParameterException(spec.commandLine(), "--write-group writes to the server the export came from: "
          + "it goes with --fhir-base, not --input");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is a file, not a folder: give a folder "
          + "to write the screen into (it is created when missing)");
    }
    ValueSetTerminology terminology = AssessCommand.terminology(localCodes);
    LocalDate date = new AssessmentMoment(clock, clock.getZone(), asOf).today();

    List<Path> screened = inputs;
    ExportResult export = null;
    List<String> notExported = List.of();
    BulkDownloadRun download = new BulkDownloadRun(bulk, err, clock, writeGroup ? CandidateGroupWrite.SCOPES : null);
    if (fromServer) {
      try {
        export = download.download(out, date, terminology);
      } catch (BulkException | IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return ExitStatus.UNREADABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("error: interrupted; the same command resumes the export");
        return ExitStatus.INTERNAL_ERROR;
      }
      BulkDownloadRun.print(export, stdout);
      stdout.flush();
      // the files the manifest listed, not the folder: it also holds the resume state and the server's error files
      screened = export.outputPaths();
      // refused by the server or outside the token's scopes: the rules reading them become unknown
      notExported = export.typesNotExported();
    }
    List<String> censusMissing = Screening.censusTypesMissing(notExported);
    if (!censusMissing.isEmpty()) {
      // without Patient or Condition nobody can be found: "0 candidates" would be a false all-clear
      err.println("error: the server's export did not include " + String.join(", ", censusMissing) + ": the screen "
          + "cannot find anybody without it; nothing was screened" + (writeGroup ? " and nothing written" : "")
          + "; ask the server's administrator to allow exporting it");
      return ExitStatus.INCOMPLETE;
    }

    ScreenSummary summary = new Screening(terminology, err).run(screened, out, date, notExported);
    if (summary.problems() > 0) {
      err.println("error: " + summary.problems() + " input problem(s), all in " + out.resolve("problems.txt")
          + "; the first at: " + String.join("; ", summary.firstProblemLocations()));
    }
    if (summary.failures() > 0) {
      err.println("error: " + summary.failures() + " patient(s) could not be assessed; see "
          + out.resolve("problems.txt"));
    }
    boolean errorFiles = export != null && !export.errorFiles().isEmpty();
    if (errorFiles) {
      err.println("error: the server could not export everything (" + export.errorFiles().size() + " error file(s), "
          + export.errorIssues() + " issue(s), in " + export.folder().resolve("errors") + "); the screen is of what "
          + "it did export");
    }
    if (!notExported.isEmpty()) {
      err.println("error: the server's export did not include " + String.join(", ", notExported) + ": the rules "
          + "that read it are unknown for every assessed patient (see summary.html); the screen is incomplete");
    }
    if (writeGroup) {
      String incomplete = whyIncomplete(summary, errorFiles);
      if (incomplete != null) {
        // a Group that looks like the whole worklist must not come from a partial screen
        err.println("error: --write-group not done, nothing written: " + incomplete);
        return ExitStatus.WRITE_FAILED;
      }
    }
    if (summary.failures() > 0) {
      return ExitStatus.INTERNAL_ERROR;
    }
    if (summary.problems() > 0) {
      return ExitStatus.UNREADABLE;
    }
    if (errorFiles || !notExported.isEmpty()) {
      return ExitStatus.INCOMPLETE;
    }
    if (writeGroup) {
      return writeGroup(summary, download);
    }
    return ExitStatus.OK;
  }

  /** Why the screen is not complete enough to write a Group from; null when it is. */
  private static String whyIncomplete(ScreenSummary summary, boolean errorFiles) {
    if (summary.problems() > 0) {
      return "the screen is incomplete: " + summary.problems() + " input problem(s)";
    }
    if (summary.failures() > 0 || summary.unread() > 0) {
      return "the screen is incomplete: " + (summary.failures() + summary.unread()) + " patient(s) not assessed";
    }
    if (errorFiles) {
      return "the screen is incomplete: the server's export has error files";
    }
    if (!summary.typesNotExported().isEmpty()) {
      return "the screen is incomplete: the export did not include " + String.join(", ",
          summary.typesNotExported());
    }
    if (summary.patients() == 0) {
      return "the export holds no patients; a Group of nobody would look like a complete screen";
    }
    return null;
  }

  /**
   * Writes the Group and MeasureReport after a complete screen (never after a partial one: a Group that looks whole
   * would be wrong) and says what happened, as {@code assess --write} does.
   */
  private int writeGroup(ScreenSummary summary, BulkDownloadRun download) {
    WriteResult result;
    try {
      String token = download.tokens().current().orElse(null);
      result = new CandidateGroupWrite().write(summary, bulk.fhirBase, token, clock.instant());
    } catch (BulkException e) {
      err.println("error: --write-group not done: no token to write with (" + e.getMessage() + ")");
      return ExitStatus.WRITE_FAILED;
    } catch (IllegalArgumentException e) {
      // e.g. a patient id that is not a FHIR id cannot go into a Group reference
      // its message quotes the id: stderr never carries a patient id, so only the position is kept
      err.println("error: --write-group not done, nothing written: "
          + String.valueOf(e.getMessage()).replaceFirst(": '.*'$", "") + " (see worklist.csv)");
      return ExitStatus.WRITE_FAILED;
    }
    if (result.succeeded()) {
      stdout.println("written: Group of " + summary.worklist().size() + " patient(s) and MeasureReport ("
          + String.join(", ", result.written().stream().map(w -> w.resourceType() + " " + w.how().words()).toList())
          + ")");
      stdout.flush();
      return ExitStatus.OK;
    }
    if (result.uncertain()) {
      err.println("error: --write-group outcome unknown: " + result.failure() + "; look for the Group on the server"
          + " before writing again (a second write of the same results creates nothing new)");
      return ExitStatus.WRITE_UNKNOWN;
    }
    err.println("error: --write-group not done, nothing written: " + result.failure());
    return ExitStatus.WRITE_FAILED;
  }
}
