package org.ketamineadvisor.sparkjob;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The population screen as an Apache Spark job: {@code spark-submit --class org.ketamineadvisor.sparkjob.ScreenJob
 * ketamine-screen-spark.jar --input EXPORT --out OUT}, with the options and outputs of {@code screen --input}
 * (docs/spark.md). Only options and the call: the work is {@link DistributedScreen}. The master comes from
 * spark-submit; tests call {@link #run(SparkSession, PrintWriter, String...)} with their own session.
 */
@Command(name = "ketamine-screen-spark", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = ScreenJob.Version.class,
    description = {
        "Screens every patient of an export (Bulk Data NDJSON, Bundles, folders, .gz) on",
        "Apache Spark, as 'screen --input' does: the same candidates, rules and outputs",
        "(screen.ndjson, worklist.csv, summary.html, problems.txt), plus counts.json,",
        "parquet/ (one row per assessed patient) and spark-metrics.json in --out.",
        "Exit status: 0 all read and screened; 1 a patient could not be assessed (see",
        "  problems.txt); 2 bad usage, or some input was unreadable (where: on stderr;",
        "  what: in problems.txt; every other patient is still screened)."})
public final class ScreenJob implements Callable<Integer> {

  /** Exit statuses, as the app's {@code screen}. */
  static final int OK = 0;
  static final int INTERNAL_ERROR = 1;
  static final int UNREADABLE = 2;

  @Option(names = "--input", paramLabel = "PATH", required = true,
      description = "An NDJSON file, a Bundle JSON file, or a folder of them, optionally .gz (repeatable): a local "
          + "path or a Hadoop file system URI (hdfs://, s3a://, file:///) every executor can read.")
  List<String> inputs;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The folder to write to, local or a Hadoop URI (created when missing; earlier outputs in it are "
          + "replaced only when the job succeeds).")
  String out;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "The date every window is measured back from (default: today on the driver).")
  LocalDate asOf;

  @Option(names = "--local-codes", paramLabel = "FILE",
      description = "Site codes added to the value sets: TSV with header valueSet, system, code, display, group "
          + "(local path or Hadoop URI; read once, on the driver).")
  String localCodes;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the shuffles (census, grouping by patient); default: Spark's default "
          + "parallelism. Each file of the export is read in a task of its own.")
  Integer partitions;

  @Spec
  CommandLine.Model.CommandSpec spec;

  private final Supplier<SparkSession> spark;
  private final PrintWriter err;

  private ScreenJob(Supplier<SparkSession> spark, PrintWriter err) {
    this.spark = spark;
    this.err = err;
  }

  /** spark-submit's entry: the session is the one spark-submit configured (master, executors, settings). */
  public static void main(String[] args) {
    SparkSession[] started = new SparkSession[1];
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status;
    try {
      status = run(() -> started[0] = SparkSession.builder().appName("ketamine-screen").getOrCreate(), err, args);
    } finally {
      if (started[0] != null) {
        started[0].stop();
      }
    }
    System.exit(status);
  }

  /**
   * Runs the job with {@code args} (the options above) on {@code spark}, printing progress and errors to {@code err};
   * returns the exit status. The session is the caller's: it is not stopped.
   */
  public static int run(SparkSession spark, PrintWriter err, String... args) {
    return run(() -> spark, err, args);
  }

  private static int run(Supplier<SparkSession> spark, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new ScreenJob(spark, err));
    line.setErr(err);
    line.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
    line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      err.println("error: " + e.getMessage());
      err.flush();
      return INTERNAL_ERROR;
    });
    int status = line.execute(args);
    err.flush();
    return status;
  }

  @Override
  public Integer call() {
    if (partitions != null && partitions < 1) {
      throw new ParameterException(spec.commandLine(), "--partitions " + partitions + ": give 1 or more");
    }
    LocalDate date = new AssessmentMoment(Clock.systemDefaultZone(), Clock.systemDefaultZone().getZone(), asOf)
        .today();
    SparkSession session = spark.get();
    JobRequest request;
    try {
      request = JobRequest.of(inputs, out, date, localCodes, partitions,
          session.sparkContext().hadoopConfiguration());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      // a mistyped path would screen part of the population under the whole one's name: refuse before reading
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ScreenSummary summary;
    try {
      summary = new DistributedScreen(session, request, err).run();
    } catch (IOException e) {
      err.println("error: the outputs could not be written to " + out + " (" + e.getMessage() + "); earlier "
          + "outputs there are kept");
      return INTERNAL_ERROR;
    }
    if (summary.problems() > 0) {
      err.println("error: " + summary.problems() + " input problem(s), all in " + request.out().child(
          "problems.txt") + "; the first at: " + String.join("; ", summary.firstProblemLocations()));
    }
    if (summary.failures() > 0) {
      err.println("error: " + summary.failures() + " patient(s) could not be assessed; see "
          + request.out().child("problems.txt"));
    }
    err.flush();
    return summary.failures() > 0 ? INTERNAL_ERROR : summary.problems() > 0 ? UNREADABLE : OK;
  }

  /** The version line, as the app's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {AppVersion.line()};
    }
  }
}
