package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine: a master and workers, each its own {@code java} process (see
 * {@link SparkProcesses}), bound to 127.0.0.1 on free ports. The workers' classpath is Spark's jars only, so an
 * executor gets the job's classes from the submitted jar alone. Closing the {@link SparkProcesses} ends it.
 */
public final class StandaloneCluster {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final SparkProcesses processes;
  private final List<Worker> workers = new ArrayList<>();
  private Process master;
  private int masterPort;
  private int masterUiPort;

  /** One worker: its process and the folder its executors run in ({@code APP/EXECUTOR/}, with their stderr). */
  public record Worker(int number, Process process, Path workDir) {

    public String name() {
      return "worker-" + number;
    }
  }

  private StandaloneCluster(SparkProcesses processes) {
    this.processes = processes;
  }

  /**
   * Starts a master and {@code workerCount} workers of one core and {@code workerMemory} (e.g. "1g") each, and waits
   * until the master counts them all alive.
   */
  public static StandaloneCluster start(SparkProcesses processes, int workerCount, String workerMemory)
      throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(processes);
    cluster.startMaster();
    for (int n = 1; n <= workerCount; n++) {
      cluster.startWorker(n, workerMemory);
    }
    cluster.awaitWorkers(workerCount);
    return cluster;
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public List<Worker> workers() {
    return List.copyOf(workers);
  }

  /**
   * The settings a job submitted here needs so that it spreads over every worker: one executor of one core per
   * worker, and no task before all of them have registered.
   */
  public Map<String, String> submitSettings() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.cores.max", String.valueOf(workers.size()));
    conf.put("spark.executor.cores", "1");
    conf.put("spark.executor.memory", "640m");
    conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
    return conf;
  }

  /** Kills a worker as a machine is lost: its executors and itself, forcibly, no clean shutdown. */
  public void kill(Worker worker) {
    SparkProcesses.kill(worker.process());
  }

  /** The executor ids that ran on {@code worker} for {@code appId} (its work folder has one folder per executor). */
  public List<String> executorsOn(Worker worker, String appId) throws IOException {
    Path app = worker.workDir().resolve(appId);
    if (!Files.isDirectory(app)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(app)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void startMaster() throws IOException, InterruptedException {
    masterPort = SparkProcesses.freePort();
    masterUiPort = SparkProcesses.freePort();
    master = processes.launch("master", List.of(
        "-Dspark.master.rest.enabled=false",
        "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)),
        "256m");
    Instant deadline = Instant.now().plus(STARTUP);
    while (true) {
      Optional<JsonNode> state = SparkProcesses.tryJson(masterUiPort, "/json/");
      if (state.isPresent() && "ALIVE".equals(state.get().path("status").asText())) {
        return;
      }
      awaitOrFail(master, "master", deadline);
    }
  }

  private void startWorker(int number, String memory) throws IOException {
    Path workDir = Files.createDirectories(processes.dir().resolve("work-" + number));
    Process process = processes.launch("worker-" + number, List.of(
        "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--port", "0", "--webui-port", String.valueOf(SparkProcesses.freePort()),
        "--cores", "1", "--memory", memory, "--work-dir", workDir.toString(), masterUrl()),
        "256m");
    workers.add(new Worker(number, process, workDir));
  }

  private void awaitWorkers(int count) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (true) {
      Optional<JsonNode> state = SparkProcesses.tryJson(masterUiPort, "/json/");
      if (state.isPresent() && state.get().path("aliveworkers").asInt() >= count) {
        return;
      }
      for (Worker worker : workers) {
        awaitOrFail(worker.process(), worker.name(), deadline);
      }
    }
  }

  private void awaitOrFail(Process process, String name, Instant deadline) throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting\n"
          + processes.logTails(40));
    }
    if (Instant.now().isAfter(deadline)) {
      throw new IllegalStateException(name + " not ready after " + STARTUP.toSeconds() + " s\n" + processes.logTails(40));
    }
    Thread.sleep(250);
  }
}
