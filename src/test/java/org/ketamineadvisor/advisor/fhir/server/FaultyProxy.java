package org.ketamineadvisor.advisor.fhir.server;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP proxy in front of a real FHIR server that injects faults into chosen requests: an
 * error status (with headers and body), a delay, or a truncated body. Links in the server's answers
 * are rewritten to the proxy, so that next pages go through it too. Works for any server (embedded or
 * container), which is why it is a proxy and not a server interceptor.
 */
public final class FaultyProxy implements AutoCloseable {

  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
      "upgrade", "expect", "keep-alive", "accept-encoding"); // bodies are rewritten, so never gzipped

  private final HttpServer server;
  private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String targetBase;
  private final String proxyBase;
  private final URI targetRoot;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> faulted = new CopyOnWriteArrayList<>();

  private FaultyProxy(String targetBase) throws IOException {
    this.targetBase = targetBase;
    URI target = URI.create(targetBase);
    this.targetRoot = URI.create(target.getScheme() + "://" + target.getRawAuthority());
    this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "faulty-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    this.proxyBase = "http://localhost:" + server.getAddress().getPort() + target.getRawPath();
  }

  public static FaultyProxy inFrontOf(String targetBase) {
    try {
      return new FaultyProxy(targetBase);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the fault-injecting proxy", e);
    }
  }

  public String baseUrl() {
    return proxyBase;
  }

  /** Every request seen, as "GET /fhir/Condition?patient=…". */
  public List<String> requests() {
    return List.copyOf(log);
  }

  /** The requests that got a fault, as {@link #requests()} names them. */
  List<String> faulted() {
    return List.copyOf(faulted);
  }

  void clear() {
    faults.clear();
    log.clear();
    faulted.clear();
  }

  /** Requests matching {@code when}: the first {@code skip} pass, the next {@code times} get {@code action}. */
  public FaultyProxy on(Predicate<String> when, int skip, int times, Action action) {
    faults.add(new Fault(when, skip, times, action, new AtomicInteger()));
    return this;
  }

  public FaultyProxy on(Predicate<String> when, int times, Action action) {
    return on(when, 0, times, action);
  }

  /** Every {@code n}th request matching {@code when} (the nth, 2nth, …) gets {@code action}, for ever. */
  FaultyProxy onEvery(Predicate<String> when, int n, Action action) {
    faults.add(new Fault(when, -n, Integer.MAX_VALUE, action, new AtomicInteger()));
    return this;
  }

  static Predicate<String> any() {
    return request -> true;
  }

  static Predicate<String> get(String pathPart) {
    return request -> request.startsWith("GET ") && request.contains(pathPart);
  }

  public static Predicate<String> transaction() {
    return request -> request.startsWith("POST ") && request.replaceFirst("\\?.*", "").matches("POST /fhir/?");
  }

  /** What to do to a matching request. */
  public sealed interface Action permits Status, Delay, Truncate, CutMidBody, StatusAfterForwarding, DropAfterForwarding {}

  /** Answer with this status, headers and body instead of forwarding. */
  record Status(int code, Map<String, String> headers, String body) implements Action {}

  /** Forward after a pause (longer than the client's socket timeout makes it time out). */
  record Delay(Duration pause) implements Action {}

  /** Forward, then send only the first half of the body. */
  public record Truncate() implements Action {}

  /**
   * Forward, then announce the whole body's length but send only its first half and close the connection: an answer
   * cut off in transit (a dropped connection, a proxy giving up), not a short but complete one like {@link Truncate}.
   */
  record CutMidBody() implements Action {}

  /** Thrown out of the handler to drop the connection in the middle of a body ({@link CutMidBody}). */
  private static final class CutConnection extends RuntimeException {
    CutConnection() {
      super("connection dropped in the middle of the body", null, false, false);
    }
  }

  /** Forward (the server does the work), then answer this status with no body: a gateway error after a commit. */
  record StatusAfterForwarding(int code) implements Action {}

  /** Forward (the server does the work), then close the connection without answering: a reset after a commit. */
  record DropAfterForwarding() implements Action {}

  static Status status(int code) {
    return new Status(code, Map.of(), "");
  }

  private record Fault(Predicate<String> when, int skip, int times, Action action, AtomicInteger seen) {
    /** True when this matching request is one to break (counts it). */
    boolean fires(String request) {
      if (!when.test(request)) {
        return false;
      }
      int n = seen.getAndIncrement();
      if (skip < 0) {
        return (n + 1) % -skip == 0; // every nth (see onEvery)
      }
      return n >= skip && n < skip + times;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    log.add(request);
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    Action action = null;
    for (Fault fault : faults) {
      if (fault.fires(request)) {
        action = fault.action();
        faulted.add(request);
        break;
      }
    }
    try {
      if (action instanceof Status status) {
        status.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = status.body().getBytes(StandardCharsets.UTF_8);
        if (!status.body().isEmpty()) {
          exchange.getResponseHeaders().add("Content-Type", "application/fhir+json;charset=utf-8");
        }
        exchange.sendResponseHeaders(status.code(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      if (action instanceof Delay delay) {
        Thread.sleep(delay.pause().toMillis());
      }
      HttpResponse<byte[]> answer = forward(exchange, request, requestBody);
      if (action instanceof StatusAfterForwarding after) {
        exchange.sendResponseHeaders(after.code(), -1);
        return;
      }
      if (action instanceof DropAfterForwarding) {
        // closing an exchange before its headers are sent closes the connection: the client gets no answer
        return;
      }
      byte[] body = new String(answer.body(), StandardCharsets.UTF_8).replace(targetBase, proxyBase)
          .getBytes(StandardCharsets.UTF_8);
      if (action instanceof Truncate) {
        body = java.util.Arrays.copyOf(body, body.length / 2);
      }
      answer.headers().map().forEach((k, values) -> {
        if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
          values.forEach(v -> exchange.getResponseHeaders().add(k, v.replace(targetBase, proxyBase)));
        }
      });
      exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
      if (action instanceof CutMidBody) {
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        // an exception out of the handler makes the server drop the connection: the client reads a premature end
        // (closing the stream with bytes still owed would instead leave the client waiting for them)
        throw new CutConnection();
      }
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (e.g. timed out during a delay): nothing to answer
    } catch (CutConnection e) {
      throw e;
    } catch (RuntimeException e) {
      // a bug in the proxy must not look like a server fault
      System.err.println("FaultyProxy could not forward " + request + ": " + e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, String request, byte[] body)
      throws IOException, InterruptedException {
    URI uri = targetRoot.resolve(request.substring(request.indexOf(' ') + 1));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((k, values) -> {
      if (!HOP_HEADERS.contains(k.toLowerCase())) {
        values.forEach(v -> builder.header(k, v));
      }
    });
    return forward.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
