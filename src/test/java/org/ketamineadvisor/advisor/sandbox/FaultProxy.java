package org.ketamineadvisor.advisor.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP reverse proxy in front of a FHIR server and its authorization server (the embedded HAPI server, the
 * sandbox, the SMART Bulk Data reference server), for tests of a Bulk Data client against what such servers do on
 * a bad day. It forwards every request to the same path on the target's origin, rewrites the target's absolute URLs
 * to itself (headers such as {@code Content-Location}, and JSON bodies: the manifest, the smart-configuration), so
 * that the client's every call goes through it; it counts requests per {@link Kind}; and it answers the Nth request of
 * a kind with a scripted {@link Fault} instead of (or while) forwarding.
 *
 * <p>Faults are scripted up front and fire once each: {@code proxy.on(Kind.STATUS, 2, Fault.tooManyRequests(…))}.
 * The Nth request counts every request of its kind, faulted or not, from 1.
 */
public final class FaultProxy implements AutoCloseable {

  /** What a request is, from its method and path. */
  public enum Kind {
    /** {@code $export} at any level. */
    KICK_OFF,
    /** GET of the status URL ({@code $export-poll-status} on HAPI; the reference server's own path otherwise). */
    STATUS,
    /** GET of an output or error file (HAPI: {@code /Binary/{id}}; an output URL the manifest named otherwise). */
    DOWNLOAD,
    /** DELETE of the status URL: the job's end. */
    DELETE,
    /** POST to the token endpoint. */
    TOKEN,
    OTHER
  }

  /** Headers the proxy never copies: the connection's own, and lengths it computes itself (bodies are rewritten). */
  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
      "upgrade", "expect", "keep-alive", "accept-encoding", "te", "trailer", "proxy-connection");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String targetOrigin;
  private final String proxyOrigin;
  private final String targetBase;
  private final Clock clock;
  private final Map<Kind, AtomicInteger> counts = new EnumMap<>(Kind.class);
  private final Map<String, Fault> script = new ConcurrentHashMap<>();
  private final Set<String> statusPaths = ConcurrentHashMap.newKeySet();
  private final Set<String> downloadPaths = ConcurrentHashMap.newKeySet();
  private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();

  private FaultProxy(String targetBase, Clock clock) throws IOException {
    URI target = URI.create(targetBase.endsWith("/") ? targetBase.substring(0, targetBase.length() - 1) : targetBase);
    if (target.getScheme() == null || target.getRawAuthority() == null) {
      throw new IllegalArgumentException("the target must be an absolute http(s) URL, not " + targetBase);
    }
    this.targetBase = target.toString();
    this.targetOrigin = target.getScheme() + "://" + target.getRawAuthority();
    this.clock = clock;
    for (Kind kind : Kind.values()) {
      counts.put(kind, new AtomicInteger());
    }
    this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    this.executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "fault-proxy");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.proxyOrigin = "http://localhost:" + server.getAddress().getPort();
  }

  /** A proxy in front of {@code targetBase} (e.g. {@code http://localhost:41234/fhir}), on a free port. */
  public static FaultProxy inFrontOf(String targetBase) {
    return inFrontOf(targetBase, Clock.systemUTC());
  }

  /** As {@link #inFrontOf(String)}, with the clock {@link Fault#tooManyRequests} computes its epoch timestamps on. */
  public static FaultProxy inFrontOf(String targetBase, Clock clock) {
    try {
      return new FaultProxy(targetBase, clock);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the fault proxy: " + e.getMessage(), e);
    }
  }

  /** The target's base URL as seen through the proxy, e.g. {@code http://localhost:50123/fhir}. */
  public String baseUrl() {
    return proxyOrigin + targetBase.substring(targetOrigin.length());
  }

  /** The proxy's origin, e.g. {@code http://localhost:50123}: the issuer and token endpoint's, when they share it. */
  public String origin() {
    return proxyOrigin;
  }

  /** Scripts {@code fault} for the {@code nth} request (from 1) of {@code kind}; each fault fires once. */
  public FaultProxy on(Kind kind, int nth, Fault fault) {
    if (nth < 1) {
      throw new IllegalArgumentException("requests are counted from 1, not " + nth);
    }
    if (script.putIfAbsent(kind + "#" + nth, fault) != null) {
      throw new IllegalArgumentException("request " + nth + " of " + kind + " already has a fault");
    }
    return this;
  }

  /** From now on, every request bearing {@code accessToken} is answered 401 {@code invalid_token} (expired). */
  public void declareExpired(String accessToken) {
    expiredTokens.add(accessToken);
  }

  /** Requests of {@code kind} seen so far, faulted ones included. */
  public int count(Kind kind) {
    return counts.get(kind).get();
  }

  /** Requests per kind seen so far. */
  public Map<Kind, Integer> counts() {
    Map<Kind, Integer> snapshot = new EnumMap<>(Kind.class);
    counts.forEach((kind, count) -> snapshot.put(kind, count.get()));
    return snapshot;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      URI uri = exchange.getRequestURI();
      String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      Kind kind = kindOf(method, uri.getRawPath(), pathAndQuery);
      int nth = counts.get(kind).incrementAndGet();
      String token = bearerToken(exchange);
      Fault fault = script.remove(kind + "#" + nth);
      if (fault instanceof Fault.ExpireToken && token != null) {
        expiredTokens.add(token);
      }
      if (token != null && expiredTokens.contains(token)) {
        answer(exchange, 401, Map.of("WWW-Authenticate",
            "Bearer error=\"invalid_token\", error_description=\"The access token expired\""),
            operationOutcome("login", "The access token expired"));
        return;
      }
      if (fault instanceof Fault.Answer answer) {
        Map<String, String> headers = answer.headers(clock);
        answer(exchange, answer.status(), headers, answer.body());
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, method, pathAndQuery, requestBody);
      byte[] body = rewrite(response);
      remember(kind, body, response);
      response.headers().map().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
          values.forEach(value -> exchange.getResponseHeaders().add(name, value.replace(targetOrigin, proxyOrigin)));
        }
      });
      boolean noBody = body.length == 0 || method.equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
      if (noBody) {
        return;
      }
      OutputStream out = exchange.getResponseBody();
      if (fault instanceof Fault.CutHalfway) {
        out.write(body, 0, body.length / 2);
        out.flush();
        // an exception out of the handler makes the JDK server drop the connection with bytes still owed: the
        // client reads a premature end of a body whose Content-Length it was promised
        throw new CutConnection();
      }
      out.write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The answer's body with the target's origin replaced by the proxy's, for JSON answers; others as they are. */
  private byte[] rewrite(HttpResponse<byte[]> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.contains("json") || type.contains("ndjson")) {
      return response.body();
    }
    return new String(response.body(), StandardCharsets.UTF_8).replace(targetOrigin, proxyOrigin)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The status URL a kick-off named and the files a manifest lists, so that later requests to them are known. */
  private void remember(Kind kind, byte[] body, HttpResponse<byte[]> response) {
    if (kind == Kind.KICK_OFF) {
      response.headers().firstValue("Content-Location")
          .ifPresent(location -> statusPaths.add(pathOf(location.replace(targetOrigin, proxyOrigin))));
    }
    if (kind == Kind.STATUS && response.statusCode() == 200) {
      String manifest = new String(body, StandardCharsets.UTF_8);
      java.util.regex.Matcher url = java.util.regex.Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"").matcher(manifest);
      while (url.find()) {
        downloadPaths.add(pathOf(url.group(1)));
      }
    }
  }

  private Kind kindOf(String method, String rawPath, String pathAndQuery) {
    String path = rawPath.replace("%24", "$");
    if (method.equals("POST") && (path.endsWith("/token") || path.endsWith("/oauth2/token"))) {
      return Kind.TOKEN;
    }
    boolean status = path.endsWith("$export-poll-status") || statusPaths.contains(pathAndQuery);
    if (status) {
      return method.equals("DELETE") ? Kind.DELETE : Kind.STATUS;
    }
    if (path.endsWith("$export")) {
      return Kind.KICK_OFF;
    }
    if (method.equals("GET") && (path.contains("/Binary/") || downloadPaths.contains(pathAndQuery))) {
      return Kind.DOWNLOAD;
    }
    return Kind.OTHER;
  }

  private static String pathOf(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String bearerToken(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, String method, String pathAndQuery, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(targetOrigin + pathAndQuery))
        .timeout(Duration.ofMinutes(2))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase())) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
      throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0 && !headers.containsKey("Content-Type")) {
      exchange.getResponseHeaders().add("Content-Type", "application/fhir+json;charset=utf-8");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  static String operationOutcome(String code, String diagnostics) {
    return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
        + "\",\"diagnostics\":\"" + diagnostics.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
  }

  /** Thrown out of the handler to drop the connection in the middle of a body. */
  private static final class CutConnection extends RuntimeException {
    CutConnection() {
      super("connection dropped in the middle of the body", null, false, false);
    }
  }

  /** What the proxy does to a scripted request instead of forwarding it plainly. */
  public sealed interface Fault {

    /**
     * 429 with {@code Retry-After} an HTTP-date's cousin the SMART reference server sends: an absolute epoch
     * timestamp in seconds, {@code ahead} from now.
     */
    static Fault tooManyRequests(Duration ahead) {
      return new Answer(429, clock -> Map.of("Retry-After",
          Long.toString(clock.instant().plus(ahead).getEpochSecond())),
          operationOutcome("throttled", "Too many requests; try again after the Retry-After time"));
    }

    /** 503 with {@code Retry-After} in seconds. */
    static Fault unavailable(int retryAfterSeconds) {
      return new Answer(503, clock -> Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
          operationOutcome("transient", "The server is busy; try again in " + retryAfterSeconds + " s"));
    }

    /** A refusal with a FHIR OperationOutcome whose diagnostics say why (e.g. a kick-off refused with 400 or 403). */
    static Fault refuse(int status, String diagnostics) {
      return new Answer(status, clock -> Map.of(), operationOutcome(status == 403 ? "forbidden" : "invalid",
          diagnostics));
    }

    /** Forward, declare the whole body's length, send half of it and drop the connection. */
    static Fault cutHalfway() {
      return new CutHalfway();
    }

    /**
     * The request's bearer token is declared expired: this request and every later one bearing it get 401
     * {@code invalid_token}, as a server whose token lifetime ran out would answer.
     */
    static Fault expireToken() {
      return new ExpireToken();
    }

    /** An answer made up by the proxy; the headers are computed when it fires (epoch timestamps). */
    record Answer(int status, java.util.function.Function<Clock, Map<String, String>> headerMaker, String body)
        implements Fault {
      Map<String, String> headers(Clock clock) {
        return headerMaker.apply(clock);
      }
    }

    record CutHalfway() implements Fault {}

    record ExpireToken() implements Fault {}
  }
}
