package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an application's event log (Spark's JSON lines, {@code spark.eventLog.*}) says happened: every task attempt
 * with its executor, outcome and shuffle traffic, the executors that came and went, the stages run again, and each
 * executor's peak memory. Read after the application ended, so that a test asserts on what Spark did, not on timing.
 */
public record EventLog(String appId, long start, long end, List<Task> tasks, Map<String, Long> executorsAdded,
    Map<String, Removal> executorsRemoved, int stageAttemptsRepeated, Map<String, Peak> peaks) {

  /** One task attempt. {@code reason} is Spark's ("Success", "ExecutorLostFailure", "FetchFailed", …). */
  public record Task(int stage, int stageAttempt, String executor, String reason, long launched, long finished,
      long remoteBlocksFetched, long remoteBytesRead, long shuffleBytesWritten, long recordsRead) {

    public boolean succeeded() {
      return "Success".equals(reason);
    }
  }

  /** An executor that left, when and why. */
  public record Removal(long time, String reason) {}

  /** An executor's peak heap in use and resident set (whole process tree), in bytes; 0 when never measured. */
  public record Peak(long jvmHeap, long processTreeRss) {

    Peak max(Peak other) {
      return new Peak(Math.max(jvmHeap, other.jvmHeap), Math.max(processTreeRss, other.processTreeRss));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public static EventLog read(Path file) throws IOException {
    String appId = null;
    long start = 0;
    long end = 0;
    List<Task> tasks = new ArrayList<>();
    Map<String, Long> added = new TreeMap<>();
    Map<String, Removal> removed = new TreeMap<>();
    int repeated = 0;
    Map<String, Peak> peaks = new TreeMap<>();
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode event = JSON.readTree(line);
        switch (event.path("Event").asText()) {
          case "SparkListenerApplicationStart" -> {
            appId = event.path("App ID").asText();
            start = event.path("Timestamp").asLong();
          }
          case "SparkListenerApplicationEnd" -> end = event.path("Timestamp").asLong();
          case "SparkListenerExecutorAdded" -> added.put(event.path("Executor ID").asText(),
              event.path("Timestamp").asLong());
          case "SparkListenerExecutorRemoved" -> removed.put(event.path("Executor ID").asText(),
              new Removal(event.path("Timestamp").asLong(), event.path("Removed Reason").asText()));
          case "SparkListenerStageSubmitted" -> {
            if (event.path("Stage Info").path("Stage Attempt ID").asInt() > 0) {
              repeated++;
            }
          }
          case "SparkListenerTaskEnd" -> {
            Task task = task(event);
            tasks.add(task);
            peaks.merge(task.executor(), peak(event.path("Task Executor Metrics")), Peak::max);
          }
          case "SparkListenerStageExecutorMetrics" -> peaks.merge(event.path("Executor ID").asText(),
              peak(event.path("Executor Metrics")), Peak::max);
          default -> { }
        }
      }
    }
    return new EventLog(appId, start, end, List.copyOf(tasks), added, removed, repeated, peaks);
  }

  private static Task task(JsonNode event) {
    JsonNode info = event.path("Task Info");
    JsonNode metrics = event.path("Task Metrics");
    JsonNode read = metrics.path("Shuffle Read Metrics");
    return new Task(event.path("Stage ID").asInt(), event.path("Stage Attempt ID").asInt(),
        info.path("Executor ID").asText(), event.path("Task End Reason").path("Reason").asText(),
        info.path("Launch Time").asLong(), info.path("Finish Time").asLong(),
        read.path("Remote Blocks Fetched").asLong(), read.path("Remote Bytes Read").asLong(),
        metrics.path("Shuffle Write Metrics").path("Shuffle Bytes Written").asLong(),
        metrics.path("Input Metrics").path("Records Read").asLong());
  }

  private static Peak peak(JsonNode metrics) {
    return new Peak(metrics.path("JVMHeapMemory").asLong(), metrics.path("ProcessTreeJVMRSSMemory").asLong());
  }

  /** The successful tasks per executor. */
  public Map<String, Long> successfulTasksByExecutor() {
    Map<String, Long> counts = new TreeMap<>();
    tasks.stream().filter(Task::succeeded).forEach(t -> counts.merge(t.executor(), 1L, Long::sum));
    return counts;
  }

  /** Shuffle blocks {@code executor}'s tasks fetched from other executors. */
  public long remoteBlocksFetchedBy(String executor) {
    return tasks.stream().filter(t -> t.executor().equals(executor)).mapToLong(Task::remoteBlocksFetched).sum();
  }

  /** The task attempts that did not succeed, by reason. */
  public Map<String, Long> failuresByReason() {
    Map<String, Long> counts = new TreeMap<>();
    tasks.stream().filter(t -> !t.succeeded()).forEach(t -> counts.merge(t.reason(), 1L, Long::sum));
    return counts;
  }

  /** Successful tasks launched after {@code time}: the work done after, e.g., an executor was lost. */
  public long successfulTasksLaunchedAfter(long time) {
    return tasks.stream().filter(t -> t.succeeded() && t.launched() > time).count();
  }

  public Optional<Removal> removal(String executor) {
    return Optional.ofNullable(executorsRemoved.get(executor));
  }
}
