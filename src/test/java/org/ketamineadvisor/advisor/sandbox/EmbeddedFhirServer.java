package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.sun.management.OperatingSystemMXBean;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A HAPI FHIR JPA R4 server on in-memory H2 and an embedded Tomcat: the sandbox EHR's FHIR endpoint for tests
 * and {@code spring-boot:test-run}. It runs in a Spring context of its own, apart from the app's.
 */
public final class EmbeddedFhirServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedFhirServer.class);
  private static final String SERVLET_PATH = "/fhir";

  /**
   * Synthea's transaction Bundles refer to organisations and practitioners by conditional references that only
   * resolve once its hospitalInformation / practitionerInformation Bundles are loaded, so those go first.
   */
  private static final Comparator<Path> SYNTHEA_SHARED_BUNDLES_FIRST = Comparator.comparing(
      (Path file) -> !(file.getFileName().toString().startsWith("hospitalInformation")
          || file.getFileName().toString().startsWith("practitionerInformation")));

  /**
   * The {@code Retry-After} of a bulk export's status answers while it runs (HAPI says 120 s; see
   * {@link BulkStatusRetryAfter}).
   */
  public static final int BULK_STATUS_RETRY_AFTER_SECONDS = 1;

  private static EmbeddedFhirServer shared;

  private final AnnotationConfigApplicationContext spring;
  private final Tomcat tomcat;
  private final Path tomcatDir;
  private final String baseUrl;
  private final Duration startupTime;
  private final FixtureLoader fixtures;

  private EmbeddedFhirServer(
      AnnotationConfigApplicationContext spring, Tomcat tomcat, Path tomcatDir, String baseUrl, Duration startupTime) {
    this.spring = spring;
    this.tomcat = tomcat;
    this.tomcatDir = tomcatDir;
    this.baseUrl = baseUrl;
    this.startupTime = startupTime;
    this.fixtures = new FixtureLoader(baseUrl);
  }

  /**
   * Starts a server with an empty database on {@code port}, or on a free port when {@code port} is 0.
   *
   * @throws IllegalStateException when the server cannot start, e.g. because the port is taken
   */
  public static EmbeddedFhirServer start(int port) {
    return start(port, (context, restfulServer) -> {});
  }

  /** What a server composed around this one (the {@link SandboxEhr}) adds to the web context before it starts. */
  @FunctionalInterface
  interface WebContextExtension {
    void extend(StandardContext context, RestfulServer restfulServer);
  }

  /** As {@link #start(int)}, with filters, servlets and interceptors of {@code extension} added before start-up. */
  static EmbeddedFhirServer start(int port, WebContextExtension extension) {
    failFastIfTaken(port);
    long started = System.nanoTime();
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    Path tomcatDir = null;
    Tomcat tomcat = null;
    try {
      spring.register(JpaServerConfig.class);
      spring.refresh();
      RestfulServer restfulServer = spring.getBean(RestfulServer.class);

      tomcatDir = Files.createTempDirectory("embedded-fhir-tomcat");
      tomcat = new Tomcat();
      tomcat.setBaseDir(tomcatDir.toString());
      Connector connector = new Connector();
      connector.setPort(port);
      tomcat.setConnector(connector);
      StandardContext context = (StandardContext) tomcat.addContext("", tomcatDir.toString());
      // these leak checks serve redeployable web apps; here they only print add-opens warnings on close
      context.setClearReferencesObjectStreamClassCaches(false);
      context.setClearReferencesThreadLocals(false);
      context.setClearReferencesRmiTargets(false);
      Wrapper servlet = Tomcat.addServlet(context, "fhir", restfulServer);
      servlet.setLoadOnStartup(1);
      servlet.setAsyncSupported(true);
      context.addServletMappingDecoded(SERVLET_PATH + "/*", "fhir");
      addFilter(context, "bulkStatusRetryAfter", new BulkStatusRetryAfter(BULK_STATUS_RETRY_AFTER_SECONDS));
      extension.extend(context, restfulServer);
      tomcat.start();
      if (!context.getState().isAvailable()) {
        throw new IllegalStateException("the web context did not start (state " + context.getState()
            + "); the log above names the failing filter, servlet or listener");
      }
      if (connector.getLocalPort() <= 0) {
        throw new IllegalStateException("nothing listens on port " + port + " (taken by another process?)");
      }

      String baseUrl = "http://localhost:" + connector.getLocalPort() + SERVLET_PATH;
      // links in search results (next pages, fullUrls) name the address clients used, not the one Tomcat guesses
      restfulServer.setServerAddressStrategy(new HardcodedServerAddressStrategy(baseUrl));
      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      // CPU time too: on a shared 2-core machine the wall time says more about the neighbours than about us
      log.info("Embedded FHIR server up at {} in {} ms (JVM CPU time so far {} ms)",
          baseUrl, startupTime.toMillis(), processCpuMillis());
      return new EmbeddedFhirServer(spring, tomcat, tomcatDir, baseUrl, startupTime);
    } catch (IOException | LifecycleException | RuntimeException e) {
      stopQuietly(tomcat);
      spring.close();
      deleteQuietly(tomcatDir);
      throw new IllegalStateException(
          "Could not start the embedded FHIR server on port " + port + ": " + e.getMessage()
              + " (use port 0 for any free port)", e);
    }
  }

  private static void addFilter(StandardContext context, String name, Filter filter) {
    FilterDef definition = new FilterDef();
    definition.setFilterName(name);
    definition.setFilter(filter);
    definition.setAsyncSupported("true");
    context.addFilterDef(definition);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName(name);
    mapping.addURLPatternDecoded(SERVLET_PATH + "/*");
    context.addFilterMap(mapping);
  }

  /** Saves building the whole JPA context (seconds) only to find the port taken; Tomcat's bind stays the real check. */
  private static void failFastIfTaken(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket(port)) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start the embedded FHIR server: port " + port
          + " is taken (" + e.getMessage() + "); use another port, or 0 for any free port", e);
    }
  }

  /** The one server of this JVM, started on first use on a free port and stopped when the JVM exits. */
  public static synchronized EmbeddedFhirServer shared() {
    if (shared == null) {
      EmbeddedFhirServer server = start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-fhir-server-shutdown"));
      shared = server;
    }
    return shared;
  }

  /** The HAPI server, for interceptors a composing server adds once its data is loaded. */
  RestfulServer restfulServer() {
    return spring.getBean(RestfulServer.class);
  }

  /** The FHIR base URL, e.g. {@code http://localhost:41234/fhir}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** How long {@link #start(int)} took, for reports. */
  public Duration startupTime() {
    return startupTime;
  }

  /** A generic client of this server (shared R4 context; fresh client, so interceptors do not leak between users). */
  public IGenericClient client() {
    return FixtureLoader.FHIR.newRestfulGenericClient(baseUrl);
  }

  /**
   * Loads one Bundle or resource JSON file, or every {@code .json} file below a directory (in name order,
   * Synthea's hospital and practitioner Bundles first).
   * Transaction and batch Bundles are posted as they are; collection Bundles and single resources become
   * transactions that PUT entries with an id and POST the others.
   *
   * @return the transaction responses, one per file
   * @throws IllegalArgumentException naming the file when one cannot be read or is rejected by the server
   */
  public List<Bundle> load(Path transactionBundleOrDir) {
    if (Files.isDirectory(transactionBundleOrDir)) {
      try (Stream<Path> files = Files.walk(transactionBundleOrDir)) {
        return files.filter(file -> Files.isRegularFile(file) && file.toString().endsWith(".json"))
            .sorted(SYNTHEA_SHARED_BUNDLES_FIRST.thenComparing(Comparator.naturalOrder()))
            .map(fixtures::load)
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not list fixture files under " + transactionBundleOrDir, e);
      }
    }
    return List.of(fixtures.load(transactionBundleOrDir));
  }

  /** Loads a Bundle built in code, converted as in {@link #load(Path)}. */
  public Bundle load(Bundle bundle) {
    return fixtures.load(bundle, "a Bundle built in code");
  }

  /** Stops Tomcat and drops the database. Idempotent. */
  @Override
  public synchronized void close() {
    if (!spring.isActive()) {
      return;
    }
    stopQuietly(tomcat);
    spring.close();
    deleteQuietly(tomcatDir);
  }

  private static long processCpuMillis() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1_000_000
        : -1;
  }

  private static void stopQuietly(Tomcat tomcat) {
    if (tomcat == null) {
      return;
    }
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      log.warn("Embedded FHIR server: Tomcat did not stop cleanly: {}", e.getMessage());
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp dir is harmless; the OS cleans /tmp
    }
  }
}
