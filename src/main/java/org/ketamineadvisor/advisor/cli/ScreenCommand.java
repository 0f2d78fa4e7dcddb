package org.ketamineadvisor.advisor.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.ketamineadvisor.advisor.fhir.bulk.BulkException;
import org.ketamineadvisor.advisor.fhir.bulk.ExportResult;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code screen}: population screening. With {@code --fhir-base} the server's Bulk Data export of what the rules read
 * is downloaded into {@code OUT/export} (resuming an interrupted one), then screened.
 */
@Command(name = "screen", mixinStandardHelpOptions = true,
    description = {"Screens a population for IV ketamine: downloads a FHIR Bulk Data export (--fhir-base) into "
        + "OUT/export, resuming an interrupted one, then screens it.",
        "Exit status: 0 done; 2 bad usage, or the export could not be done (the server refused it, a file could not be "
            + "downloaded): what was completed is kept and the same command resumes; 1 an internal failure."})
final class ScreenCommand implements Callable<Integer> {

  @Mixin
  BulkOptions bulk = new BulkOptions();

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Folder for the results (created owner-only); the export goes to DIR/export.")
  Path out;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "The date every window is measured back from (default: today).")
  LocalDate asOf;

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
  public Integer call() throws Exception {
    bulk.check(spec.commandLine());
    if (bulk.fhirBase == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --fhir-base URL, the server whose "
          + "Bulk Data export is screened");
    }
    LocalDate day = asOf != null ? asOf : LocalDate.now(clock);
    ExportResult result;
    try {
      result = new BulkDownloadRun(bulk, err, clock).download(out, day, ValueSetTerminology.loadDefault());
    } catch (BulkException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted; the same command resumes the export");
      return ExitStatus.INTERNAL_ERROR;
    }
    BulkDownloadRun.print(result, stdout);
    return ExitStatus.OK;
  }
}
