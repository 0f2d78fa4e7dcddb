package org.ketamineadvisor.advisor.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The app's connections to the EHRs' FHIR servers, shared by every launch of an instance: one HTTP connection pool
 * per FHIR base (kept alive, so a launch does not open a TCP and TLS connection per request), and one pool of
 * threads for the requests a launch runs side by side. The access token travels with each request, never with a
 * pooled connection. The bases are those of registered EHRs (the launch allow-list, the CDS clients), so the map
 * stays small.
 *
 * <p>The threads are created on demand up to {@code maxConnections} and end after a minute idle; when all are busy
 * the caller runs the request itself (back-pressure instead of a queue that could wait on itself).
 */
public final class FhirConnections implements AutoCloseable {

  /** Connections per FHIR server, and threads for parallel requests, of one instance by default. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  private final FhirContext ctx;
  private final FhirClientSettings settings;
  private final int maxConnections;
  private final ConcurrentMap<String, FhirServerConnection> byBase = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor requests;

  public FhirConnections(FhirContext ctx, FhirClientSettings settings, int maxConnections) {
    if (maxConnections < 2 || maxConnections > 1000) {
      throw new IllegalArgumentException("maxConnections must be between 2 and 1000, got " + maxConnections);
    }
    this.ctx = ctx;
    this.settings = settings.withBearerToken(null);
    this.maxConnections = maxConnections;
    AtomicInteger number = new AtomicInteger();
    this.requests = new ThreadPoolExecutor(0, maxConnections, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "fhir-request-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** The settings every connection uses (timeouts, retries, page size), without a token. */
  public FhirClientSettings settings() {
    return settings;
  }

  public FhirContext context() {
    return ctx;
  }

  /** The pooled connection to {@code baseUrl}, sending {@code token}; closing it keeps the pool. */
  public FhirServerConnection to(String baseUrl, String token) {
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw new IllegalArgumentException("the FHIR base URL must start with http:// or https://, got " + baseUrl);
    }
    String key = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return byBase.computeIfAbsent(key, base -> new FhirServerConnection(ctx, base, settings, maxConnections))
        .withToken(token);
  }

  /** The threads for requests that run side by side (never shut down by a borrower). */
  public ExecutorService requests() {
    return requests;
  }

  /** A reader of {@code baseUrl}'s records with {@code token}, on the shared pools. */
  public FhirServerReader reader(String baseUrl, String token, ValueSetTerminology terminology,
      ServerCapabilities capabilities) {
    return new FhirServerReader(to(baseUrl, token), terminology, capabilities, requests);
  }

  /** A writer to {@code baseUrl} with {@code token}, on the shared pool. */
  public FhirServerWriter writer(String baseUrl, String token) {
    return new FhirServerWriter(to(baseUrl, token));
  }

  @Override
  public void close() {
    requests.shutdownNow();
    byBase.values().forEach(FhirServerConnection::close);
    byBase.clear();
  }
}
