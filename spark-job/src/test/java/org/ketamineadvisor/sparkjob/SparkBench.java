package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Spark benchmark of {@code scripts/bench.sh spark} (docs/benchmarks.md): the job over one export in each of the
 * given setups, one after the other — {@code local[N]} (driver and executor in one process) or {@code workers=N} (a
 * standalone cluster of N one-core workers, started before and not timed) — and one Markdown table row each: wall
 * time of the whole driver process, the job's phases and records/s from its spark-metrics.json, and each executor's
 * peak heap and resident set from the event log.
 * <p>Usage: {@code SparkBench SPARK_HOME JOB_JAR EXPORT WORK_DIR AS_OF SETUP…}; the Java options Spark needs come in
 * the system property {@code spark.bench.javaOptions}. {@code SparkBench export BUNDLES_DIR OUT_DIR COPIES PARTS}
 * writes the export ({@link NdjsonExport}).
 */
public final class SparkBench {

  private static final String JOB = "org.ketamineadvisor.sparkjob.ScreenJob";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("export")) {
      int patients = NdjsonExport.write(List.of(Path.of(args[1])), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Path.of(args[2]));
      System.out.println(patients + " patients written to " + args[2]);
      return;
    }
    Path sparkHome = Path.of(args[0]);
    Path jobJar = Path.of(args[1]).toAbsolutePath();
    Path export = Path.of(args[2]).toAbsolutePath();
    Path work = Path.of(args[3]).toAbsolutePath();
    String asOf = args[4];
    List<String> javaOptions = SparkProcesses.splitOptions(System.getProperty("spark.bench.javaOptions"));
    System.out.println("| setup | wall (process) | job | list / census / read / group / assess / write | records "
        + "| patients (candidates) | records/s | peak heap per executor | peak RSS per executor | driver peak heap |");
    System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    for (int i = 5; i < args.length; i++) {
      String setup = args[i];
      String name = setup.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
      try (SparkProcesses processes = new SparkProcesses(sparkHome, work.resolve(name), javaOptions)) {
        String master = setup;
        Map<String, String> conf = new LinkedHashMap<>();
        if (setup.startsWith("workers=")) {
          StandaloneCluster cluster = StandaloneCluster.start(processes,
              Integer.parseInt(setup.substring("workers=".length())), "1536m");
          master = cluster.masterUrl();
          conf.putAll(cluster.submitSettings());
          conf.put("spark.executor.memory", "1g");
          conf.put("spark.locality.wait", "0s");
        }
        Path out = processes.dir().resolve("out");
        long started = System.nanoTime();
        SparkRun run = SparkRun.submit(processes, master, jobJar, JOB, conf,
            List.of("--input", export.toString(), "--out", out.toString(), "--out-is-shared", "--as-of", asOf), "driver",
            "2g");
        int status = run.awaitExit(Duration.ofMinutes(60));
        double wall = (System.nanoTime() - started) / 1e9;
        if (status != 0) {
          System.out.println("| " + setup + " | exit " + status + ", see " + run.log() + " | | | | | | | | |");
          continue;
        }
        System.out.println(row(setup, wall, JSON.readTree(out.resolve("spark-metrics.json").toFile()), run.eventLog()));
      }
    }
  }

  private static String row(String setup, double wall, JsonNode metrics, EventLog log) {
    List<String> phases = new ArrayList<>();
    for (String phase : List.of("list", "census", "read", "group", "assess", "write")) {
      phases.add(String.format(Locale.ROOT, "%.1f", metrics.path("phaseWallMillis").path(phase).asLong() / 1000.0));
    }
    List<String> heaps = new ArrayList<>();
    List<String> rss = new ArrayList<>();
    log.peaks().forEach((executor, peak) -> {
      if (!executor.equals("driver") || setup.startsWith("local")) {
        heaps.add(mb(peak.jvmHeap()));
        rss.add(mb(peak.processTreeRss()));
      }
    });
    EventLog.Peak driver = log.peaks().getOrDefault("driver", new EventLog.Peak(0, 0));
    return String.format(Locale.ROOT, "| %s | %.1f s | %.1f s | %s s | %,d | %,d (%,d) | %,d | %s | %s | %s |", setup, wall,
        metrics.path("wallMillis").asLong() / 1000.0, String.join(" / ", phases), metrics.path("records").asLong(),
        metrics.path("patients").asLong(), metrics.path("candidates").asLong(),
        metrics.path("recordsPerSecond").asLong(), String.join(", ", heaps), String.join(", ", rss),
        mb(driver.jvmHeap()));
  }

  private static String mb(long bytes) {
    return bytes == 0 ? "–" : (bytes >> 20) + " MB";
  }
}
