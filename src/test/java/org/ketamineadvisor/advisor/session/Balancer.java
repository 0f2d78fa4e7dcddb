package org.ketamineadvisor.advisor.session;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A load balancer without sticky sessions, for tests and benchmarks: each request goes to the instance the
 * {@code route} names (a fixed one, or round robin), headers kept, with {@code X-Forwarded-*} so the instances build
 * the balancer's URLs (redirect URIs, the CDS audience).
 */
public final class Balancer implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "upgrade", "expect",
      "transfer-encoding", ":status");

  private final HttpServer server;
  private final ExecutorService serving;
  private final ExecutorService forwarding;

  private Balancer(HttpServer server, ExecutorService serving, ExecutorService forwarding) {
    this.server = server;
    this.serving = serving;
    this.forwarding = forwarding;
  }

  /** Round robin over {@code backends}, request by request. */
  public static Balancer roundRobin(int port, List<String> backends) throws IOException {
    AtomicInteger next = new AtomicInteger();
    return start(port, () -> backends.get(Math.floorMod(next.getAndIncrement(), backends.size())));
  }

  /** Every request to the backend {@code route} names at that moment. */
  public static Balancer start(int port, Supplier<String> route) throws IOException {
    ExecutorService forwarding = Executors.newFixedThreadPool(16, daemon("balancer-client"));
    ExecutorService serving = Executors.newFixedThreadPool(64, daemon("balancer"));
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).executor(forwarding).build();
    HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 256);
    server.setExecutor(serving);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        URI target = URI.create(route.get() + exchange.getRequestURI());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes()));
        exchange.getRequestHeaders().forEach((name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase())) {
            values.forEach(v -> request.header(name, v));
          }
        });
        request.header("X-Forwarded-Host", "localhost:" + port).header("X-Forwarded-Port", String.valueOf(port))
            .header("X-Forwarded-Proto", "http");
        HttpResponse<byte[]> response;
        try {
          response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        } catch (IOException down) {
          exchange.sendResponseHeaders(502, -1); // the instance is gone: the balancer says so, as a real one would
          return;
        }
        response.headers().map().forEach((name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase())) {
            values.forEach(v -> exchange.getResponseHeaders().add(name, v));
          }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        out.write(body);
      }
    });
    server.start();
    return new Balancer(server, serving, forwarding);
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  public String url(String path) {
    return "http://localhost:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
    serving.shutdownNow();
    forwarding.shutdownNow();
  }
}
