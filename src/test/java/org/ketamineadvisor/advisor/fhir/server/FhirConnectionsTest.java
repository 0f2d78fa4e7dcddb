package org.ketamineadvisor.advisor.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection.RequestTally;

/**
 * The instance's shared FHIR connections: one kept-alive pool per server whatever the token, each request carrying
 * its own borrower's token, the pool surviving a borrower's close, and the request threads pushing back (the caller
 * runs the request) instead of queueing when all are busy.
 */
class FhirConnectionsTest {

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private FhirConnections connections;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext("/fhir/Patient/", exchange -> {
      // which client connection (its port) brought which token
      seen.add(exchange.getRemoteAddress().getPort() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    connections = new FhirConnections(FhirContext.forR4Cached(), FhirClientSettings.defaults(), 2);
  }

  @AfterEach
  void stop() {
    connections.close();
    server.stop(0);
  }

  private String base() {
    return "http://localhost:" + server.getAddress().getPort() + "/fhir";
  }

  private void read(String token) {
    try (FhirServerConnection connection = connections.to(base(), token)) {
      RequestTally tally = new RequestTally();
      assertThat(connection.client(tally).read().resource(Patient.class).withId("p1").execute().getIdPart())
          .isEqualTo("p1");
    }
  }

  @Test
  void launchesShareOneKeptAliveConnectionAndEachRequestCarriesItsOwnToken() {
    read("token-of-clinician-a");
    read("token-of-clinician-b"); // the first borrower's close left the pool open
    read("token-of-clinician-a");
    assertThat(seen).hasSize(3);
    assertThat(seen).extracting(s -> s.substring(s.indexOf(' ') + 1)).containsExactly(
        "Bearer token-of-clinician-a", "Bearer token-of-clinician-b", "Bearer token-of-clinician-a");
    assertThat(seen).extracting(s -> s.substring(0, s.indexOf(' '))).as("one TCP connection, kept alive")
        .containsOnly(seen.get(0).substring(0, seen.get(0).indexOf(' ')));
  }

  @Test
  void aTrailingSlashIsTheSameServer() {
    read("t");
    try (FhirServerConnection connection = connections.to(base() + "/", "t")) {
      assertThat(connection.baseUrl()).isEqualTo(base());
    }
  }

  @Test
  void whenEveryRequestThreadIsBusyTheCallerRunsTheRequestItself() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(2);
    Future<?> first = connections.requests().submit(() -> hold(busy, release));
    Future<?> second = connections.requests().submit(() -> hold(busy, release));
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    String[] ranOn = new String[1];
    connections.requests().submit(() -> ranOn[0] = Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    assertThat(ranOn[0]).as("no third thread, no queue: the caller ran it").isEqualTo(Thread.currentThread().getName());
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    second.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aBadBaseOrSizeIsRefusedWithWhatIsWrong() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connections.to("ftp://ehr.example.org", "t"))
        .hasMessageContaining("must start with http:// or https://");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FhirConnections(FhirContext.forR4Cached(),
        FhirClientSettings.defaults(), 1)).hasMessageContaining("between 2 and 1000");
  }

  private static Void hold(CountDownLatch busy, CountDownLatch release) throws InterruptedException {
    busy.countDown();
    release.await(10, TimeUnit.SECONDS);
    return null;
  }
}
