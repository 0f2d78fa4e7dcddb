package org.ketamineadvisor.advisor.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheHttpRequest;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * One FHIR server as the app reaches it: HAPI's generic client on an Apache HttpClient with the
 * configured timeouts and a connection pool — wide enough for one round of parallel searches when made for one
 * operation (the command line), or shared by every launch ({@link FhirConnections}), each borrower sending its own
 * token ({@link #withToken}).
 * HttpClient's own retries are off: retries happen in {@link ReadRetries}, which can honour
 * Retry-After and also retry a truncated body (found only when HAPI parses it, after HttpClient is done);
 * HttpClient 4.5's ServiceUnavailableRetryStrategy sees neither and would also repeat POSTs.
 */
public final class FhirServerConnection implements AutoCloseable {

  private static final int PARALLEL_REQUESTS = 16;

  private final FhirContext ctx;
  private final String baseUrl;
  private final FhirClientSettings settings;
  private final CloseableHttpClient http;
  private final ApacheRestfulClientFactory factory;
  private final RequestConfig timeouts;
  /** False for a borrowed view ({@link #withToken}): closing it leaves the shared pool open. */
  private final boolean owner;

  FhirServerConnection(FhirContext ctx, String baseUrl, FhirClientSettings settings) {
    this(ctx, baseUrl, settings, PARALLEL_REQUESTS);
  }

  /** A connection pool of at most {@code maxConnections} to the server; idle connections close after 30 s. */
  FhirServerConnection(FhirContext ctx, String baseUrl, FhirClientSettings settings, int maxConnections) {
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw new IllegalArgumentException("the FHIR base URL must start with http:// or https://, got " + baseUrl);
    }
    this.ctx = ctx;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.settings = settings;
    this.timeouts = RequestConfig.custom()
        .setConnectTimeout(millis(settings.connectTimeout()))
        .setSocketTimeout(millis(settings.socketTimeout()))
        // waiting for a free pooled connection is queueing, as for a busy server: as long as a silent server
        .setConnectionRequestTimeout(millis(settings.socketTimeout()))
        .build();
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(5, TimeUnit.MINUTES);
    pool.setDefaultSocketConfig(org.apache.http.config.SocketConfig.custom()
        .setSoTimeout(millis(settings.socketTimeout())).build());
    pool.setMaxTotal(maxConnections);
    pool.setDefaultMaxPerRoute(maxConnections);
    this.http = HttpClients.custom().setConnectionManager(pool).setDefaultRequestConfig(timeouts)
        .evictIdleConnections(30, TimeUnit.SECONDS).disableAutomaticRetries().useSystemProperties().build();
    this.owner = true;
    // a factory of our own, so the shared FhirContext's factory (and its timeouts) stays untouched
    this.factory = new ApacheRestfulClientFactory(ctx);
    // every setter of the factory drops a client set before it, so the client goes last
    factory.setConnectTimeout(millis(settings.connectTimeout()));
    factory.setSocketTimeout(millis(settings.socketTimeout()));
    factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
    factory.setHttpClient(http);
  }

  private FhirServerConnection(FhirServerConnection shared, FhirClientSettings settings) {
    this.ctx = shared.ctx;
    this.baseUrl = shared.baseUrl;
    this.settings = settings;
    this.http = shared.http;
    this.factory = shared.factory;
    this.timeouts = shared.timeouts;
    this.owner = false;
  }

  /**
   * This server's pool with {@code token} on every request of the returned view; closing the view keeps the pool.
   * Pooled connections carry no credential (HTTP keep-alive only), so one pool serves every clinician's token.
   */
  FhirServerConnection withToken(String token) {
    return new FhirServerConnection(this, settings.withBearerToken(token));
  }

  String baseUrl() {
    return baseUrl;
  }

  FhirContext context() {
    return ctx;
  }

  FhirClientSettings settings() {
    return settings;
  }

  /** A client for one operation (a read of one patient, one write), counting its requests in {@code tally}. */
  IGenericClient client(RequestTally tally) {
    IGenericClient client = factory.newGenericClient(baseUrl);
    client.setEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
    if (settings.bearerToken() != null && !settings.bearerToken().isBlank()) {
      client.registerInterceptor(new BearerTokenAuthInterceptor(settings.bearerToken()));
    }
    client.registerInterceptor(tally);
    // measured: requests HAPI builds did not get the client's default timeouts (a 3 s stall was waited
    // out with a 0.7 s socket timeout), so each request carries them itself
    client.registerInterceptor(new IClientInterceptor() {
      @Override
      public void interceptRequest(IHttpRequest request) {
        if (request instanceof ApacheHttpRequest apache) {
          apache.getApacheRequest().setConfig(timeouts);
        }
      }

      @Override
      public void interceptResponse(IHttpResponse response) {}
    });
    return client;
  }

  /** One read or search with its own retries (safe to run on any thread); the reason is for a person when it fails. */
  public <T> T request(java.util.function.Function<IGenericClient, T> query) throws ReadFailure {
    RequestTally tally = new RequestTally();
    ReadRetries retries = new ReadRetries(settings, java.time.Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    return retries.call(tally, () -> query.apply(client(tally)));
  }

  @Override
  public void close() {
    if (!owner) {
      return;
    }
    try {
      http.close();
    } catch (IOException e) {
      // closing idle pooled connections; nothing is lost
    }
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /**
   * Counts the requests of one operation and the time until each whole body has arrived (the body is
   * buffered here, so a truncated body fails now, as a connection error, and is retried). It also
   * keeps, per thread, the last Retry-After header, which HAPI's exceptions do not carry.
   */
  static final class RequestTally implements IClientInterceptor {
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong waitNanos = new AtomicLong();
    private final ThreadLocal<Long> started = new ThreadLocal<>();
    private final ThreadLocal<String> retryAfter = new ThreadLocal<>();

    @Override
    public void interceptRequest(IHttpRequest request) {
      requests.incrementAndGet();
      retryAfter.remove();
      started.set(System.nanoTime());
    }

    @Override
    public void interceptResponse(IHttpResponse response) throws IOException {
      try {
        List<String> header = response.getHeaders("Retry-After");
        if (header != null && !header.isEmpty()) {
          retryAfter.set(header.get(0));
        }
        response.bufferEntity();
      } finally {
        Long start = started.get();
        if (start != null) {
          waitNanos.addAndGet(System.nanoTime() - start);
          started.remove();
        }
      }
    }

    /** Time spent on a request that failed before any response (timeout, refused connection). */
    void failedRequestEnded() {
      Long start = started.get();
      if (start != null) {
        waitNanos.addAndGet(System.nanoTime() - start);
        started.remove();
      }
    }

    String lastRetryAfter() {
      return retryAfter.get();
    }

    int requests() {
      return requests.get();
    }

    RequestStats stats(int retries, Duration wallTime) {
      return new RequestStats(requests.get(), retries, Duration.ofNanos(waitNanos.get()), wallTime);
    }
  }
}
