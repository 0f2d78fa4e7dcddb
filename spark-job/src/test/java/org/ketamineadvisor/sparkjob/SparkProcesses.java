package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Spark processes of one test or benchmark run: each a {@code java -cp SPARK_HOME/jars/*} process with the
 * environment they share (SPARK_HOME made of Spark's jars only, loopback address, scratch space under {@link #dir()}),
 * its output in {@code dir/logs/NAME.log}. {@link #close()} kills every one of them and their children (executors)
 * forcibly, so that nothing outlives the run.
 */
public final class SparkProcesses implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path sparkHome;
  private final Path dir;
  private final List<String> javaOptions;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  /**
   * @param sparkHome a folder with {@code jars/}: Spark's jars (the pom's {@code spark-home} execution makes
   *     {@code target/spark-home})
   * @param dir where logs and Spark's scratch space go (created)
   * @param javaOptions the options Spark needs on Java 17 (the pom's {@code spark.java.options})
   */
  public SparkProcesses(Path sparkHome, Path dir, List<String> javaOptions) throws IOException {
    if (!Files.isDirectory(sparkHome.resolve("jars"))) {
      throw new IllegalStateException(sparkHome.resolve("jars") + " is missing: it is made in the pre-integration-test"
          + " phase (./mvnw -pl spark-job -am verify) by spark-job/pom.xml's spark-home execution");
    }
    this.sparkHome = sparkHome;
    this.dir = Files.createDirectories(dir);
    this.javaOptions = List.copyOf(javaOptions);
    Files.createDirectories(dir.resolve("logs"));
    // a test JVM ended from outside (a build's timeout, Ctrl-C) must not leave a master or workers behind either
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kill-spark-processes"));
  }

  /** The Java options as the pom passes them (one string, whitespace between). */
  public static List<String> splitOptions(String options) {
    return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
  }

  public Path dir() {
    return dir;
  }

  /** Starts {@code java -Xmx<heap> <java options> -cp SPARK_HOME/jars/* <javaArgs>}; output to {@code logs/NAME.log}. */
  public Process launch(String name, List<String> javaArgs, String heap) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + File.separator + "*");
    command.addAll(javaArgs);
    Path log = log(name);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("SPARK_") || key.startsWith("HADOOP_"));
    env.put("SPARK_HOME", sparkHome.toString());
    // asked for when a worker builds an executor's command line; a distribution would answer from its RELEASE file
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_CONF_DIR", Files.createDirectories(dir.resolve("conf")).toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("scratch").resolve(name)).toString());
    Process process = builder.start();
    synchronized (this) {
      processes.add(process);
      logs.add(log);
    }
    return process;
  }

  /** Where the process called {@code name} writes its output. */
  public Path log(String name) {
    return dir.resolve("logs").resolve(name + ".log");
  }

  /**
   * The last {@code lines} lines of every process's log, then of every executor's {@code stderr} under this run's
   * folder (a worker keeps them in {@code work/APP/EXECUTOR/}), for a failure message.
   */
  public synchronized String logTails(int lines) {
    List<Path> all = new ArrayList<>(logs);
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().forEach(all::add);
    } catch (IOException | UncheckedIOException e) {
      // the process logs are still worth showing
    }
    StringBuilder out = new StringBuilder();
    for (Path log : all) {
      out.append("----- ").append(dir.relativize(log)).append(" (last ").append(lines).append(" lines)\n")
          .append(tail(log, lines));
    }
    return out.toString();
  }

  /** Kills every process started here, children first, newest first, and waits for each. */
  @Override
  public synchronized void close() {
    List<Process> all = new ArrayList<>(processes);
    Collections.reverse(all);
    for (Process process : all) {
      kill(process);
    }
  }

  /** Kills a process and its children (a worker's executors) forcibly, as a lost machine, and waits for them. */
  public static void kill(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a child that does not end in 30 s after SIGKILL is the system's, not ours, to report
    }
  }

  // --- helpers for the cluster and the runs

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Why this machine cannot run a cluster here (nothing may listen on 127.0.0.1), if so. */
  public static Optional<String> whyLoopbackUnusable() {
    try {
      freePort();
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot listen on 127.0.0.1: " + e.getMessage());
    }
  }

  static JsonNode getJson(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " on port " + port + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /** The JSON, or empty while nothing answers there (yet, or any more). */
  static Optional<JsonNode> tryJson(int port, String path) throws InterruptedException {
    try {
      return Optional.of(getJson(port, path));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
  }
}
