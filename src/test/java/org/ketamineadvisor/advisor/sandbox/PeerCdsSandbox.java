package org.ketamineadvisor.advisor.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * The public CDS Hooks Sandbox (cds-hooks/sandbox) built from its source tarball, with the team's patch that adds
 * ketamine to its medication list, under {@code target/}, and its static build served on 127.0.0.1. Only for
 * {@link PeerCdsHooksCheck} (profile {@code peer-cds}); the default build never builds or serves it.
 */
final class PeerCdsSandbox implements AutoCloseable {

  /** The system properties naming the sandbox's source tarball and the ketamine patch. */
  static final String TARBALL_PROPERTY = "peer.cds-sandbox";
  static final String PATCH_PROPERTY = "peer.cds-patch";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(20);
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
      "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json", "application/json", "png",
      "image/png", "svg", "image/svg+xml", "map", "application/json", "txt", "text/plain; charset=utf-8", "ico",
      "image/x-icon");

  private final HttpServer server;
  private final String baseUrl;

  private PeerCdsSandbox(HttpServer server, String baseUrl) {
    this.server = server;
    this.baseUrl = baseUrl;
  }

  /** The file named by {@code property}, or an {@link IllegalStateException} that says how to give it. */
  static Path file(String property, String what) {
    String value = System.getProperty(property, "").trim();
    if (value.isEmpty() || value.startsWith("${")) {
      throw new IllegalStateException("The peer-CDS check needs " + what + ": run it with -D" + property
          + "=/path/to/it (or scripts/peer-cds-check.sh); see docs/cds-hooks.md, Against the public CDS Hooks Sandbox");
    }
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("No " + what + " at " + path + " (-D" + property + "=" + value + ")");
    }
    return path;
  }

  /**
   * Unpacks the tarball into {@code workDir} (it holds {@code cds-hooks-sandbox/}), applies the patch and runs
   * {@code npm ci} and {@code npm run build} (about 2 minutes on 2 cores), unless a previous run already built this
   * same tarball with this same patch. The static site is then in the returned directory's {@code build/}.
   */
  static Path build(Path tarball, Path patch, Path work) {
    // absolute: tar runs in workDir, where a relative -C would point elsewhere
    Path workDir = work.toAbsolutePath();
    Path dir = workDir.resolve("cds-hooks-sandbox");
    Path stamp = dir.resolve(".built-from-sha256");
    String sha = sha256(tarball) + " " + sha256(patch);
    try {
      if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(sha)
          && Files.isRegularFile(dir.resolve("build/index.html"))) {
        System.out.println("PEER sandbox: reusing the build in " + dir + " (same tarball and patch)");
        return dir;
      }
      FileSystemUtils.deleteRecursively(dir);
      Files.createDirectories(workDir);
      run(workDir.resolve("untar.log"), workDir, "tar", "-xzf", tarball.toString(), "-C", workDir.toString());
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(tarball + " holds no cds-hooks-sandbox/ directory");
      }
      run(workDir.resolve("patch.log"), dir, "patch", "-p1", "-i", patch.toString());
      long started = System.nanoTime();
      run(workDir.resolve("npm-ci.log"), dir, "npm", "ci", "--no-audit", "--no-fund");
      run(workDir.resolve("npm-build.log"), dir, "npm", "run", "build");
      System.out.println("PEER sandbox: built in " + dir + " in " + (System.nanoTime() - started) / 1_000_000_000
          + " s (npm ci + npm run build)");
      Files.writeString(stamp, sha);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code site} (the sandbox's {@code build/}) on 127.0.0.1:{@code port}; any unknown path is the app. */
  static PeerCdsSandbox serve(Path site, int port) {
    Path root = site.toAbsolutePath().normalize();
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/", exchange -> answer(exchange, root));
      server.start();
      return new PeerCdsSandbox(server, "http://127.0.0.1:" + server.getAddress().getPort());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not serve the CDS Hooks Sandbox on port " + port, e);
    }
  }

  private static void answer(HttpExchange exchange, Path root) throws IOException {
    try (exchange) {
      String path = URI.create(exchange.getRequestURI().getRawPath()).normalize().getPath();
      Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        if (path.substring(path.lastIndexOf('/') + 1).contains(".")) {
          exchange.sendResponseHeaders(404, -1); // a missing file (its index.html links a styles.css it lacks)
          return;
        }
        file = root.resolve("index.html"); // the sandbox is one page; its routes are in the query string
      }
      String name = file.getFileName().toString();
      String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
      exchange.getResponseHeaders().set("Content-Type", type);
      // the JWK set is fetched by the app, not by the page; CORS for it harms nothing
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      long size = Files.size(file);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size);
      try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Where the sandbox publishes the public key of its JWT (ES384, {@code iss} {@value PeerCdsHooksCheck#ISSUER}). */
  String jwksUrl() {
    return baseUrl + "/.well-known/jwks.json";
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void run(Path log, Path dir, String... command) {
    PeerBuild.require(command[0], "The peer-CDS check needs {tool} on the PATH (tar, patch, node and npm)");
    PeerBuild.run(log, dir, Map.of(), NPM_TIMEOUT, "npm ci needs the npm registry", command);
  }

  private static String sha256(Path file) {
    return PeerBuild.sha256(file);
  }
}
