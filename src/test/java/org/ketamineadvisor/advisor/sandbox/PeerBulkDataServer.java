package org.ketamineadvisor.advisor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.springframework.util.FileSystemUtils;

/**
 * The SMART Bulk Data reference server (smart-on-fhir/bulk-data-server, repackaged to build without GitHub) built
 * from its tarball under {@code target/}, with its SQLite database, and run as a node process in a process group of
 * its own on a free port. Only for {@link PeerBulkDataCheck} (profile {@code peer-bulk}); the default build never
 * builds or starts it.
 *
 * <p>Its options are a base64url JSON path segment before {@code /fhir} ({@link #fhirBase(String)}); clients are
 * registered without its home page by posting their public JWKS ({@link #register(String, Integer, String)}).
 */
final class PeerBulkDataServer implements AutoCloseable {

  /** The system property naming the server's tarball (bulk-data-server-peer.tar.gz). */
  static final String TARBALL_PROPERTY = "peer.bulk-server";
  /** The system property naming its prebuilt database (bulk-data-server-database.r4.db.gz); optional. */
  static final String DATABASE_PROPERTY = "peer.bulk-database";
  private static final String DIR_NAME = "bulk-data-server-peer";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(20);
  /** The import writes one row per fsync: 4 minutes on an idle machine, 12 on a busy one (BUILD.md § 2). */
  private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(25);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Process node;
  private final String baseUrl;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PeerBulkDataServer(Process node, String baseUrl, Path log) {
    this.node = node;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  /**
   * The tarball named by {@code -Dpeer.bulk-server}, or an {@link IllegalStateException} that says how to give it.
   * (Failsafe passes an unset property as its literal {@code ${...}}, and the profile's default is empty.)
   */
  static Path tarball() {
    Path path = property(TARBALL_PROPERTY);
    if (path == null) {
      throw new IllegalStateException("The peer-bulk check needs the Bulk Data server's tarball: run it with -D"
          + TARBALL_PROPERTY + "=/path/to/bulk-data-server-peer.tar.gz (or scripts/peer-bulk-check.sh "
          + "/path/to/bulk-data-server-peer.tar.gz); see docs/integration.md § Against the SMART Bulk Data server");
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("No Bulk Data server tarball at " + path + " (-D" + TARBALL_PROPERTY
          + "): give the path of bulk-data-server-peer.tar.gz");
    }
    return path;
  }

  /** The prebuilt database named by {@code -Dpeer.bulk-database}, or null: the database is then imported. */
  static Path databaseArchive() {
    Path path = property(DATABASE_PROPERTY);
    if (path != null && !Files.isRegularFile(path)) {
      throw new IllegalStateException("No database at " + path + " (-D" + DATABASE_PROPERTY
          + "): give the path of bulk-data-server-database.r4.db.gz, or leave it out to import the data (4-12 min)");
    }
    return path;
  }

  private static Path property(String name) {
    String value = System.getProperty(name, "").trim();
    if (value.isEmpty() || value.startsWith("${")) {
      return null;
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  /**
   * Unpacks the tarball into {@code workDir/bulk-data-server-peer} and runs {@code npm ci} there with sqlite3
   * compiled from source (its prebuilt binary lives on GitHub; BUILD.md § 1: about 3-4 minutes on 2 cores), unless
   * a previous run already built this same tarball. Then puts the database in place: unpacked from
   * {@code databaseGz} when given (seconds), else imported from the bundled Synthea data (4-12 minutes); reused
   * while the archive, or the tarball for an import, is the same.
   */
  static Path build(Path tarball, Path databaseGz, Path workDir) {
    require("node");
    require("npm");
    Path dir = workDir.resolve(DIR_NAME).toAbsolutePath();
    Path stamp = dir.resolve(".built-from-sha256");
    String sha = sha256(tarball);
    try {
      Files.createDirectories(workDir);
      if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(sha)
          && Files.isDirectory(dir.resolve("node_modules/sqlite3/build"))) {
        System.out.println("PEER bulk server: reusing the build in " + dir + " (same tarball)");
      } else {
        FileSystemUtils.deleteRecursively(dir);
        long started = System.nanoTime();
        // the tarball holds one folder, bulk-data-server-peer/
        run(workDir.resolve("untar.log"), workDir.toAbsolutePath(), Map.of(), NPM_TIMEOUT,
            "tar", "-xzf", tarball.toString(), "-C", workDir.toAbsolutePath().toString());
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
          throw new IllegalStateException(tarball + " does not hold " + DIR_NAME + "/package.json");
        }
        run(workDir.resolve("npm-ci.log"), dir, Map.of(
                "npm_config_build_from_source", "true",
                "npm_config_nodedir", nodeDir()),
            NPM_TIMEOUT, "npm", "ci", "--foreground-scripts", "--no-audit", "--no-fund");
        System.out.println("PEER bulk server: built in " + dir + " in " + seconds(started)
            + " s (npm ci, sqlite3 compiled from source)");
        Files.writeString(stamp, sha);
      }
      placeDatabase(dir, databaseGz, sha, workDir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void placeDatabase(Path dir, Path databaseGz, String tarballSha, Path workDir) throws IOException {
    Path db = dir.resolve("database.r4.db");
    Path stamp = dir.resolve(".database-from-sha256");
    String wanted = databaseGz != null ? "gz " + sha256(databaseGz) : "import " + tarballSha;
    if (Files.isRegularFile(db) && Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(wanted)) {
      System.out.println("PEER bulk server: reusing its database (" + wanted.substring(0, wanted.indexOf(' ')) + ")");
      return;
    }
    Files.deleteIfExists(stamp);
    Files.deleteIfExists(db);
    long started = System.nanoTime();
    if (databaseGz != null) {
      Path part = dir.resolve("database.r4.db.part");
      try (InputStream in = new GZIPInputStream(Files.newInputStream(databaseGz), 1 << 16);
          OutputStream out = Files.newOutputStream(part)) {
        in.transferTo(out);
      }
      Files.move(part, db, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("PEER bulk server: database unpacked from " + databaseGz.getFileName() + " in "
          + seconds(started) + " s");
    } else {
      System.out.println("PEER bulk server: no prebuilt database given (-D" + DATABASE_PROPERTY
          + "): importing the bundled data, 4-12 minutes");
      run(workDir.resolve("import.log"), dir, Map.of("NODE_ENV", "production"), IMPORT_TIMEOUT,
          "npm", "run", "import", "--", "-d", "./data/fhir/");
      System.out.println("PEER bulk server: database imported in " + seconds(started) + " s");
    }
    Files.writeString(stamp, wanted);
  }

  /**
   * Starts the server on {@code port} (it listens on every interface; it has no host option) with
   * {@code BASE_URL = http://127.0.0.1:port}, the address its links and token audience are built from, in a new
   * process group ({@code setsid}) so that {@link #close()} ends everything it started; waits for its metadata.
   */
  static PeerBulkDataServer start(Path dir, int port, Path log) {
    return start(dir, port, "http://127.0.0.1:" + port, log);
  }

  /**
   * As {@link #start(Path, int, Path)}, with the links it gives (status, files, token endpoint) and the token
   * audience it checks on {@code publicBase}: a proxy in front of it, which it then sees as its own address.
   */
  static PeerBulkDataServer start(Path dir, int port, String publicBase, Path log) {
    String base = publicBase;
    String local = "http://127.0.0.1:" + port;
    ProcessBuilder builder = new ProcessBuilder("setsid",
        dir.toAbsolutePath().resolve("node_modules/.bin/ts-node").toString(), "--transpile-only", ".")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("NODE_ENV", "production");
    env.put("PORT", Integer.toString(port));
    env.put("BASE_URL", base);
    env.put("SECRET", UUID.randomUUID().toString());
    env.remove("GOOGLE_ANALYTICS_ID");
    Process node;
    try {
      node = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the Bulk Data server in " + dir + " (setsid and node needed)", e);
    }
    PeerBulkDataServer server = new PeerBulkDataServer(node, base, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!node.isAlive()) {
        server.close();
        throw new IllegalStateException("The Bulk Data server exited (status " + node.exitValue() + "); see " + log);
      }
      try {
        HttpResponse<Void> answer = server.http.send(HttpRequest.newBuilder(URI.create(local + "/fhir/metadata"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return server;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      sleep(300);
    }
    server.close();
    throw new IllegalStateException("The Bulk Data server did not answer within " + START_TIMEOUT.toSeconds()
        + " s; see " + log);
  }

  String baseUrl() {
    return baseUrl;
  }

  Path log() {
    return log;
  }

  long pid() {
    return node.pid();
  }

  /** The FHIR base with no options: authorization optional, one copy of the data. */
  String fhirBase() {
    return baseUrl + "/fhir";
  }

  /**
   * The FHIR base with options, given as their JSON (for example {@code {"secure":1}} or
   * {@code {"err":"transient_error"}}), which the server reads from a base64url path segment before {@code /fhir}.
   */
  String fhirBase(String optionsJson) {
    return baseUrl + "/" + simSegment(optionsJson) + "/fhir";
  }

  static String simSegment(String optionsJson) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(optionsJson.getBytes(StandardCharsets.UTF_8));
  }

  /** Where its token endpoint is; the client assertion's {@code aud} must be exactly this. */
  String tokenUrl() {
    return baseUrl + "/auth/token";
  }

  /**
   * Registers a Backend Services client as its home page does, without the page: posts the client's public JWKS
   * (and, when given, {@code dur}, the access tokens' lifetime in minutes, and {@code err}, an authorization error
   * to simulate, such as {@code request_expired_token}). The answer is the client id: a token the server signed
   * that embeds the JWKS (it keeps no state).
   */
  String register(String publicJwks, Integer tokenMinutes, String simulatedError) {
    List<String> form = new ArrayList<>();
    form.add("jwks=" + URLEncoder.encode(publicJwks, StandardCharsets.UTF_8));
    if (tokenMinutes != null) {
      form.add("dur=" + tokenMinutes);
    }
    if (simulatedError != null) {
      form.add("err=" + URLEncoder.encode(simulatedError, StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/auth/register"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form))).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200 || answer.body().isBlank()) {
        throw new IllegalStateException("The Bulk Data server refused the registration: HTTP " + answer.statusCode()
            + " " + answer.body());
      }
      return answer.body().trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not register a client at " + baseUrl + "/auth/register", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET on the server, as a plain string (for its Group list and the like). */
  HttpResponse<String> get(String url, String accept) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the server's whole process group (ts-node and anything node started), TERM first, then KILL after 10
   * seconds; the group is the one {@code setsid} made, whose id is the node process's own.
   */
  @Override
  public void close() {
    long group = node.pid();
    signalGroup("TERM", group);
    node.descendants().forEach(ProcessHandle::destroy);
    node.destroy();
    try {
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        signalGroup("KILL", group);
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        node.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void signalGroup(String signal, long group) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + group)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill(1): the Process API below still ends node and its descendants
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The folder above node's {@code bin/}, as BUILD.md § 1 computes it ({@code path.resolve(process.execPath,
   * "../..")}): where npm finds Node's headers ({@code include/node}) to compile sqlite3.
   */
  private static String nodeDir() {
    try {
      Process node = new ProcessBuilder("node", "-p", "require('path').resolve(process.execPath, '../..')")
          .redirectErrorStream(true).start();
      String dir = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0 || dir.isEmpty()) {
        throw new IllegalStateException("node -p process.execPath failed: " + dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void run(Path log, Path dir, Map<String, String> env, Duration timeout, String... command) {
    PeerBuild.run(log, dir, env, timeout, "npm ci needs the npm registry, python3, make and g++ for sqlite3", command);
  }

  private static void require(String tool) {
    PeerBuild.require(tool, "The peer-bulk check needs {tool} on the PATH to build and run the Bulk Data server "
        + "(node 20 or later with npm; on Debian: apt-get install nodejs npm)");
  }

  private static String sha256(Path file) {
    return PeerBuild.sha256(file);
  }

  private static long seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000_000;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
