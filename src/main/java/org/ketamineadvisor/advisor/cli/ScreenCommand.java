package org.ketamineadvisor.advisor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.screen.Screening;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code screen}: a population screen of an export on disk, written to a folder (docs/command-line.md § screen).
 * Only options and the call: the work is {@link Screening}.
 */
@Command(name = "screen", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Screens every patient of an export (Bulk Data NDJSON, Bundles, folders, .gz) for IV ketamine: patients with a",
        "neuropathic pain condition are assessed as 'assess' does; everyone else is counted as not indicated.",
        "Writes screen.ndjson, worklist.csv, summary.html and problems.txt to --out (readable by the owner only).",
        "Exit status: 0 all read and screened;",
        "  1 internal error (some patient could not be assessed; see problems.txt);",
        "  2 bad usage, or some input was unreadable (locations on stderr, all in problems.txt; the rest is screened)."})
final class ScreenCommand implements Callable<Integer> {

  @Option(names = "--input", paramLabel = "PATH", required = true,
      description = "An NDJSON file, a Bundle JSON file, or a folder of them, optionally .gz (repeatable).")
  List<Path> inputs;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The folder to write to (created when missing; earlier outputs in it are replaced).")
  Path out;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "The date every window is measured back from (default: today).")
  LocalDate asOf;

  @Option(names = "--local-codes", paramLabel = "FILE",
      description = "Site codes added to the value sets: TSV with header valueSet, system, code, display, group.")
  Path localCodes;

  @Spec
  CommandSpec spec;

  private final Clock clock;
  private final PrintWriter err;

  ScreenCommand(Clock clock, PrintWriter err) {
    this.clock = clock;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    // a mistyped path would screen part of the population under the whole one's name: refuse before reading
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        throw new ParameterException(spec.commandLine(), "--input " + input + ": no such file or folder; check "
            + "the path");
      }
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is a file, not a folder: give a folder "
          + "to write the screen into (it is created when missing)");
    }
    ValueSetTerminology terminology = AssessCommand.terminology(localCodes);
    LocalDate date = new AssessmentMoment(clock, clock.getZone(), asOf).today();
    ScreenSummary summary = new Screening(terminology, err).run(inputs, out, date);
    if (summary.problems() > 0) {
      err.println("error: " + summary.problems() + " input problem(s), all in " + out.resolve("problems.txt")
          + "; the first at: " + String.join("; ", summary.firstProblemLocations()));
    }
    if (summary.failures() > 0) {
      err.println("error: " + summary.failures() + " patient(s) could not be assessed; see "
          + out.resolve("problems.txt"));
      return ExitStatus.INTERNAL_ERROR;
    }
    return summary.problems() > 0 ? ExitStatus.UNREADABLE : ExitStatus.OK;
  }
}
