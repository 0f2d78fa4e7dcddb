package org.ketamineadvisor.advisor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;

/**
 * The public SMART launcher (smart-launcher-v2) built from its source tarball under {@code target/} and run as a
 * node process on 127.0.0.1 in front of a FHIR server. Only for {@link PeerEhrLaunchCheck} (profile
 * {@code peer-ehr}); the default build never builds or starts it.
 */
final class PeerEhrLauncher implements AutoCloseable {

  /** The system property naming the launcher's source tarball. */
  static final String TARBALL_PROPERTY = "peer.launcher";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Process node;
  private final String baseUrl;
  private final Path log;

  private PeerEhrLauncher(Process node, String baseUrl, Path log) {
    this.node = node;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  /**
   * The tarball named by {@code -Dpeer.launcher}, or an {@link IllegalStateException} that says how to give it.
   * (Failsafe passes an unset property as its literal {@code ${peer.launcher}}, and the profile's default is empty.)
   */
  static Path tarball() {
    String value = System.getProperty(TARBALL_PROPERTY, "").trim();
    if (value.isEmpty() || value.startsWith("${")) {
      throw new IllegalStateException("The peer-EHR check needs the SMART launcher's source tarball: run it with "
          + "-D" + TARBALL_PROPERTY + "=/path/to/smart-launcher-v2.tar.gz (or scripts/peer-ehr-check.sh "
          + "/path/to/smart-launcher-v2.tar.gz); see docs/integration.md § Against the public SMART launcher");
    }
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("No SMART launcher tarball at " + path + " (-D" + TARBALL_PROPERTY + "=" + value
          + "): give the path of smart-launcher-v2.tar.gz");
    }
    return path;
  }

  /**
   * Unpacks the tarball into {@code workDir/smart-launcher-v2} and runs {@code npm ci} and {@code npm run build}
   * there (about 3 minutes on 2 cores), unless a previous run already built this same tarball.
   */
  static Path build(Path tarball, Path workDir) {
    require("node");
    require("npm");
    Path dir = workDir.resolve("smart-launcher-v2").toAbsolutePath();
    Path stamp = dir.resolve(".built-from-sha256");
    String sha = sha256(tarball);
    try {
      if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(sha)
          && Files.isDirectory(dir.resolve("build")) && Files.isDirectory(dir.resolve("node_modules"))) {
        System.out.println("PEER launcher: reusing the build in " + dir + " (same tarball)");
        return dir;
      }
      FileSystemUtils.deleteRecursively(dir);
      Files.createDirectories(dir);
      run(workDir.resolve("untar.log"), dir, "tar", "-xzf", tarball.toString(), "-C", dir.toString());
      long started = System.nanoTime();
      run(workDir.resolve("npm-ci.log"), dir, "npm", "ci", "--no-audit", "--no-fund");
      run(workDir.resolve("npm-build.log"), dir, "npm", "run", "build");
      System.out.println("PEER launcher: built in " + dir + " in " + (System.nanoTime() - started) / 1_000_000_000
          + " s (npm ci + npm run build)");
      Files.writeString(stamp, sha);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the launcher's back end (which also serves its built pages) on 127.0.0.1:{@code port} in front of
   * {@code fhirBase}, and waits until its SMART configuration answers.
   */
  static PeerEhrLauncher start(Path dir, int port, String fhirBase, Path log) {
    ProcessBuilder builder = new ProcessBuilder(dir.toAbsolutePath().resolve("node_modules/.bin/ts-node").toString(),
        "--skipProject",
        "--transpile-only", "backend/index.ts")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("NODE_ENV", "production");
    env.put("HOST", "127.0.0.1");
    env.put("PORT", Integer.toString(port));
    env.put("SECRET", UUID.randomUUID().toString());
    // the proxy rewrites the upstream's own URLs in its answers only when this is exactly what the upstream says
    env.put("FHIR_SERVER_R4", fhirBase);
    env.put("FHIR_SERVER_R3", "");
    env.put("FHIR_SERVER_R2", "");
    // nothing may point the pages at the internet (its default patient picker lives on smarthealthit.org)
    env.put("PICKER_ORIGIN", "http://127.0.0.1:" + port);
    env.remove("GOOGLE_ANALYTICS_ID");
    env.remove("LAUNCHER_PORT");
    env.remove("SSL_PORT");
    String base = "http://127.0.0.1:" + port;
    Process node;
    try {
      node = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the SMART launcher in " + dir, e);
    }
    PeerEhrLauncher launcher = new PeerEhrLauncher(node, base, log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!node.isAlive()) {
        launcher.close();
        throw new IllegalStateException("The SMART launcher exited (status " + node.exitValue() + "); see " + log);
      }
      try {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(
            URI.create(launcher.issuer() + "/.well-known/smart-configuration")).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return launcher;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      sleep(500);
    }
    launcher.close();
    throw new IllegalStateException("The SMART launcher did not answer within " + START_TIMEOUT.toSeconds()
        + " s; see " + log);
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The FHIR base an app is launched with (R4), which is also the issuer the app allow-lists. */
  String issuer() {
    return baseUrl + "/v/r4/fhir";
  }

  Path log() {
    return log;
  }

  /** Stops node and whatever it started (ts-node runs the back end in a child). */
  @Override
  public void close() {
    node.descendants().forEach(ProcessHandle::destroy);
    node.destroy();
    try {
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(Path log, Path dir, String... command) {
    PeerBuild.run(log, dir, Map.of(), NPM_TIMEOUT, "npm ci needs the npm registry", command);
  }

  private static void require(String tool) {
    PeerBuild.require(tool, "The peer-EHR check needs {tool} on the PATH to build and run the SMART launcher (node 16 "
        + "or later with npm; on Debian: apt-get install nodejs npm)");
  }

  private static String sha256(Path file) {
    return PeerBuild.sha256(file);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
