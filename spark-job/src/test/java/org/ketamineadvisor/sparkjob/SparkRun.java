package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One application submitted with {@code SparkSubmit} in client mode, as a process of its own: the driver. Its web
 * UI's REST API ({@code /api/v1}, on {@code uiPort}) answers while it runs; its event log (plain JSON lines in
 * {@code eventDir}, with the executors' peak memory) stays after it ends, for {@link EventLog}. {@code log} holds the
 * driver's output (Spark's log and the job's stderr).
 */
public record SparkRun(Process driver, String name, int uiPort, Path eventDir, Path log) {

  /**
   * Submits {@code mainClass} from {@code jobJar} with {@code args} to {@code master} (a {@code spark://} URL or
   * {@code local[N]}). {@code conf} is applied after the settings here (loopback, the UI on a free port, the event
   * log), so it can replace them.
   */
  public static SparkRun submit(SparkProcesses processes, String master, Path jobJar, String mainClass,
      Map<String, String> conf, List<String> args, String name, String driverHeap) throws IOException {
    int uiPort = SparkProcesses.freePort();
    Path eventDir = Files.createDirectories(processes.dir().resolve("events").resolve(name));
    Map<String, String> all = new LinkedHashMap<>();
    all.put("spark.driver.host", "127.0.0.1");
    all.put("spark.driver.bindAddress", "127.0.0.1");
    all.put("spark.ui.port", String.valueOf(uiPort));
    all.put("spark.port.maxRetries", "64");
    all.put("spark.ui.showConsoleProgress", "false");
    all.put("spark.eventLog.enabled", "true");
    all.put("spark.eventLog.dir", eventDir.toUri().toString());
    all.put("spark.eventLog.compress", "false");
    all.put("spark.eventLog.rolling.enabled", "false");
    // the executors' peak memory, measured 4 times a second and written per stage to the event log
    all.put("spark.eventLog.logStageExecutorMetrics", "true");
    all.put("spark.executor.metrics.pollingInterval", "250ms");
    all.put("spark.executor.processTreeMetrics.enabled", "true");
    all.put("spark.executor.heartbeatInterval", "2s");
    all.putAll(conf);
    List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--deploy-mode", "client", "--name", name, "--class", mainClass));
    all.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
    command.add(jobJar.toString());
    command.addAll(args);
    Process driver = processes.launch(name, command, driverHeap);
    return new SparkRun(driver, name, uiPort, eventDir, processes.log(name));
  }

  /** Waits for the driver to end and returns its exit status; kills it and fails after {@code limit}. */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!driver.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      SparkProcesses.kill(driver);
      throw new IllegalStateException(name + " did not end within " + limit.toSeconds() + " s; killed");
    }
    return driver.exitValue();
  }

  /** The application's id once the driver's REST API answers, empty before (and after it ended). */
  public Optional<String> appId() throws InterruptedException {
    return SparkProcesses.tryJson(uiPort, "/api/v1/applications")
        .filter(apps -> apps.size() > 0)
        .map(apps -> apps.get(0).path("id").asText());
  }

  /** The application's executors as its REST API lists them (id, completedTasks, activeTasks, …), while it runs. */
  public Optional<JsonNode> executors(String appId) throws InterruptedException {
    return SparkProcesses.tryJson(uiPort, "/api/v1/applications/" + appId + "/executors");
  }

  /** The event log of the ended application. */
  public EventLog eventLog() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(eventDir)) {
      files = list.filter(f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).toList();
    }
    if (files.size() != 1) {
      throw new IllegalStateException("expected one event log in " + eventDir + ", found " + files);
    }
    return EventLog.read(files.get(0));
  }
}
