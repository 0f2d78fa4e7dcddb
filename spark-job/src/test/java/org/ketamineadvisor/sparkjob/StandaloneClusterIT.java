package org.ketamineadvisor.sparkjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.screen.Screening;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The job on a real Spark standalone cluster on this machine: a master and two workers, each a process of its own
 * whose classpath is Spark's jars only, and the job submitted to them from its jar by {@code SparkSubmit} in a
 * further process. First run: both workers' executors run tasks, the grouping by patient shuffles between them, and
 * the result equals {@code screen --input}'s patient by patient. Second run: one worker (with its executor) is killed
 * once its executor has done work, and the job still ends with the same result, the lost work done again on the other.
 * Skipped, with the reason printed, only where nothing may listen on 127.0.0.1.
 */
class StandaloneClusterIT {

  private static final Path SYNTHEA = Path.of("..", "src", "test", "resources", "synthea");
  private static final String JOB = "org.ketamineadvisor.sparkjob.ScreenJob";
  private static final String AS_OF = "2025-01-01";
  /** 2 × the 15 Synthea patients in one gzipped file per type (22 files): work enough to lose a worker during. */
  private static final int COPIES = 2;
  private static final int PARTS = 1;
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
  private static final JsonNode EMPTY = new ObjectMapper().createArrayNode();

  private final Path sparkHome = Path.of(property("spark.it.home"));
  private final Path jobJar = Path.of(property("spark.it.jobJar"));
  private final List<String> javaOptions = SparkProcesses.splitOptions(System.getProperty("spark.it.javaOptions"));
  private final Path dir = Path.of("target", "cluster-it").toAbsolutePath();

  @Test
  void twoWorkersShareTheScreenAndLosingOneMidJobChangesNothing() throws Exception {
    Optional<String> unusable = SparkProcesses.whyLoopbackUnusable();
    if (unusable.isPresent()) {
      System.out.println("StandaloneClusterIT skipped: " + unusable.get());
      Assumptions.abort(unusable.get());
    }
    assertTrue(Files.isRegularFile(jobJar), jobJar + " is missing: run the package phase first");
    assertTrue(sparkHomeHoldsNoJobClasses(), sparkHome + "/jars must hold Spark's jars only, not the job's");
    deleteRecursively(dir);
    Path export = dir.resolve("export");
    int patients = NdjsonExport.write(List.of(SYNTHEA), COPIES, PARTS, export);
    Path expected = dir.resolve("screen");
    new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(Writer.nullWriter()))
        .run(List.of(export), expected, LocalDate.parse(AS_OF));

    try (SparkProcesses processes = new SparkProcesses(sparkHome, dir, javaOptions)) {
      try {
        long started = System.nanoTime();
        StandaloneCluster cluster = StandaloneCluster.start(processes, 2, "1g");
        System.out.printf("cluster: master and 2 workers up in %.1f s; %d patients in %d files%n",
            seconds(started), patients, fileCount(export));
        bothWorkersRunTasksAndShuffle(processes, cluster, export, expected);
        aWorkerKilledMidJobChangesNothing(processes, cluster, export, expected);
      } catch (Throwable failure) {
        System.out.println("StandaloneClusterIT failed; the processes' logs end:\n" + processes.logTails(60));
        throw failure;
      }
    }
  }

  private void bothWorkersRunTasksAndShuffle(SparkProcesses processes, StandaloneCluster cluster, Path export,
      Path expected) throws Exception {
    long started = System.nanoTime();
    Path out = dir.resolve("out-two-workers");
    SparkRun run = submit(processes, cluster, export, out, "driver-two-workers");
    int status = run.awaitExit(RUN_LIMIT);
    assertEquals(0, status, "the job's exit status; its log: " + run.log());
    EventLog log = run.eventLog();
    Map<String, Long> tasks = log.successfulTasksByExecutor();
    for (StandaloneCluster.Worker worker : cluster.workers()) {
      List<String> executors = cluster.executorsOn(worker, log.appId());
      assertEquals(1, executors.size(), worker.name() + " ran one executor for the job");
      String executor = executors.get(0);
      assertTrue(tasks.getOrDefault(executor, 0L) > 0, worker.name() + "'s executor ran no task: " + tasks);
      Path executorDir = worker.workDir().resolve(log.appId()).resolve(executor);
      assertTrue(Files.isRegularFile(executorDir.resolve(jobJar.getFileName())),
          worker.name() + "'s executor got the job jar from the driver");
      String classpath = executorClasspath(executorDir.resolve("stderr"));
      assertTrue(Stream.of(classpath.split(java.io.File.pathSeparator)).map(Path::of).allMatch(
          entry -> entry.startsWith(sparkHome.resolve("jars")) || entry.equals(dir.resolve("conf"))),
          worker.name() + "'s executor was started with Spark's jars (and the conf folder) only: " + classpath);
      System.out.printf("two workers: %s ran executor %s (classpath: Spark's jars; the job jar fetched from the "
          + "driver): %d tasks, %d shuffle blocks fetched from the other%n",
          worker.name(), executor, tasks.get(executor), log.remoteBlocksFetchedBy(executor));
    }
    long remote = cluster.workers().stream().mapToLong(w -> remoteBlocks(cluster, w, log)).sum();
    assertTrue(remote > 0, "the grouping by patient fetched shuffle blocks from the other worker's executor");
    assertSameScreen(expected, out);
    System.out.printf("two workers: exit 0 in %.1f s, the same screen as screen --input%n", seconds(started));
  }

  private void aWorkerKilledMidJobChangesNothing(SparkProcesses processes, StandaloneCluster cluster, Path export,
      Path expected) throws Exception {
    long started = System.nanoTime();
    Path out = dir.resolve("out-worker-killed");
    StandaloneCluster.Worker victim = cluster.workers().get(1);
    SparkRun run = submit(processes, cluster, export, out, "driver-worker-killed");
    String appId = null;
    String killedExecutor = null;
    long killedAfterTasks = 0;
    while (run.driver().isAlive() && killedExecutor == null) {
      if (appId == null) {
        appId = run.appId().orElse(null);
      } else {
        List<String> onVictim = cluster.executorsOn(victim, appId);
        for (JsonNode executor : run.executors(appId).orElse(EMPTY)) {
          if (onVictim.contains(executor.path("id").asText()) && executor.path("completedTasks").asLong() > 0) {
            killedAfterTasks = executor.path("completedTasks").asLong();
            killedExecutor = executor.path("id").asText();
          }
        }
        if (killedExecutor != null) {
          cluster.kill(victim);
          System.out.printf("worker killed: %s (executor %s, after %d task(s) done there) at %.1f s%n",
              victim.name(), killedExecutor, killedAfterTasks, seconds(started));
        }
      }
      Thread.sleep(100);
    }
    int status = run.awaitExit(RUN_LIMIT);
    assertTrue(killedExecutor != null, "the job ended before " + victim.name() + "'s executor finished a task");
    assertEquals(0, status, "the job's exit status after losing a worker; its log: " + run.log());
    EventLog log = run.eventLog();
    EventLog.Removal removal = log.removal(killedExecutor).orElseThrow(
        () -> new AssertionError("the driver never noticed executor losing its worker"));
    long after = log.successfulTasksLaunchedAfter(removal.time());
    Map<String, Long> failures = log.failuresByReason();
    System.out.printf("worker killed: the driver lost executor %s (%s); %d task(s) failed %s, %d stage(s) run again, "
        + "%d task(s) done after the loss; tasks by executor %s%n", killedExecutor, removal.reason(),
        failures.values().stream().mapToLong(Long::longValue).sum(), failures, log.stageAttemptsRepeated(), after,
        log.successfulTasksByExecutor());
    assertTrue(after > 0, "the kill landed after the last task: no work was left to redo (make the export larger)");
    assertTrue(!failures.isEmpty() || log.stageAttemptsRepeated() > 0,
        "what the lost executor ran or held was done again elsewhere");
    assertSameScreen(expected, out);
    System.out.printf("worker killed: exit 0 in %.1f s, the same screen as screen --input%n", seconds(started));
  }

  private SparkRun submit(SparkProcesses processes, StandaloneCluster cluster, Path export, Path out, String name)
      throws IOException {
    Map<String, String> conf = new TreeMap<>(cluster.submitSettings());
    // no waiting for a "local" executor: the files are on every worker alike
    conf.put("spark.locality.wait", "0s");
    // both executors are on 127.0.0.1, where Spark would read the other's shuffle files from disk: fetch them over
    // the network, as between machines
    conf.put("spark.shuffle.readHostLocalDisk", "false");
    return SparkRun.submit(processes, cluster.masterUrl(), jobJar, JOB, conf,
        List.of("--input", export.toString(), "--out", out.toString(), "--out-is-shared", "--as-of", AS_OF,
            "--partitions", "2"),
        name, "768m");
  }

  /** The classpath of an executor's command line, which its worker writes first into the executor's stderr. */
  private static String executorClasspath(Path stderr) throws IOException {
    for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
      if (line.startsWith("Spark Executor Command:")) {
        List<String> words = List.of(line.split("\" \""));
        int cp = words.indexOf("-cp");
        if (cp >= 0 && cp + 1 < words.size()) {
          return words.get(cp + 1);
        }
      }
    }
    throw new AssertionError("no executor command line in " + stderr);
  }

  private static long remoteBlocks(StandaloneCluster cluster, StandaloneCluster.Worker worker, EventLog log) {
    try {
      return cluster.executorsOn(worker, log.appId()).stream().mapToLong(log::remoteBlocksFetchedBy).sum();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The job's screen.ndjson has the same line as screen's for every patient, and no other patient; its worklist.csv
   * is screen's byte for byte. A difference is reported by count and line number, never by patient id.
   */
  static void assertSameScreen(Path expected, Path actual) throws IOException {
    Map<String, String> want = linesByPatient(expected.resolve("screen.ndjson"));
    Map<String, String> got = linesByPatient(actual.resolve("screen.ndjson"));
    int differing = 0;
    for (Map.Entry<String, String> line : want.entrySet()) {
      differing += line.getValue().equals(got.get(line.getKey())) ? 0 : 1;
    }
    long extra = got.keySet().stream().filter(id -> !want.containsKey(id)).count();
    assertEquals(0, differing + extra, "screen.ndjson: " + differing + " of " + want.size()
        + " patient(s) differ or are missing, " + extra + " more than screen's");
    assertEquals(Files.readString(expected.resolve("worklist.csv")), Files.readString(actual.resolve("worklist.csv")),
        "worklist.csv");
  }

  private static Map<String, String> linesByPatient(Path ndjson) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> lines = new TreeMap<>();
    for (String line : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
      lines.put(json.readTree(line).path("patient").asText(), line);
    }
    return lines;
  }

  private boolean sparkHomeHoldsNoJobClasses() throws IOException {
    try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
      return jars.map(j -> j.getFileName().toString())
          .noneMatch(name -> name.startsWith("ketamine") || name.startsWith("hapi-fhir") || name.startsWith("ucum"));
    }
  }

  private static long fileCount(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run this test through failsafe (./mvnw verify)");
    }
    return value;
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path path : all) {
      Files.delete(path);
    }
  }
}
