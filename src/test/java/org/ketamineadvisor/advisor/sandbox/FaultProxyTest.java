package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.FaultProxy.Fault;
import org.ketamineadvisor.advisor.sandbox.FaultProxy.Kind;

/** Each fault of {@link FaultProxy}, as a plain java.net.http client meets it, in front of the embedded HAPI server. */
class FaultProxyTest {

  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);

  private static EmbeddedFhirServer server;
  private FaultProxy proxy;

  @BeforeAll
  static void aServerWithAPatient() {
    server = EmbeddedFhirServer.shared();
    server.load(Path.of("launch/sandbox/crps-suitable.json"));
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.inFrontOf(server.baseUrl());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void aWholeExportGoesThroughTheProxyWhichNamesItselfAndCountsEachKindOfRequest() {
    BulkExportCalls bulk = new BulkExportCalls();
    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(proxy.baseUrl() + "/$export?_type=Patient,Condition"));
    assertThat(statusUrl).startsWith(proxy.baseUrl() + "/");

    JsonNode manifest = bulk.awaitManifest(statusUrl, EXPORT_TIMEOUT);
    assertThat(manifest.path("output")).isNotEmpty().allSatisfy(output ->
        assertThat(output.path("url").asText()).startsWith(proxy.baseUrl() + "/Binary/"));
    assertThat(bulk.linesPerType(manifest)).containsKeys("Patient", "Condition");
    assertThat(bulk.delete(statusUrl).statusCode()).isEqualTo(404); // HAPI: a completed job is not deleted

    assertThat(proxy.count(Kind.KICK_OFF)).isEqualTo(1);
    assertThat(proxy.count(Kind.STATUS)).isGreaterThanOrEqualTo(1);
    assertThat(proxy.count(Kind.DOWNLOAD)).isEqualTo(manifest.path("output").size());
    assertThat(proxy.count(Kind.DELETE)).isEqualTo(1);
  }

  @Test
  void aThrottledStatusPollIsA429WhoseRetryAfterIsAnEpochTimestampAFewSecondsAhead() {
    BulkExportCalls bulk = new BulkExportCalls();
    proxy.on(Kind.STATUS, 1, Fault.tooManyRequests(Duration.ofSeconds(2)));
    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(proxy.baseUrl() + "/$export?_type=Patient"));

    long before = Instant.now().getEpochSecond();
    HttpResponse<String> throttled = bulk.poll(statusUrl);

    assertThat(throttled.statusCode()).isEqualTo(429);
    long retryAt = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAt).isBetween(before + 1, before + 3);
    assertThat(throttled.body()).contains("OperationOutcome");
    assertThat(bulk.poll(statusUrl).statusCode()).isIn(200, 202);
    assertThat(proxy.count(Kind.STATUS)).isEqualTo(2);
  }

  @Test
  void anUnavailableStatusPollIsA503WithRetryAfterInSeconds() {
    BulkExportCalls bulk = new BulkExportCalls();
    proxy.on(Kind.STATUS, 1, Fault.unavailable(1));
    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(proxy.baseUrl() + "/$export?_type=Patient"));

    HttpResponse<String> unavailable = bulk.poll(statusUrl);

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void aDownloadCutHalfwayPromisesTheWholeLengthAndEndsEarlyThenTheNextOneIsWhole() throws Exception {
    BulkExportCalls bulk = new BulkExportCalls();
    proxy.on(Kind.DOWNLOAD, 1, Fault.cutHalfway());
    JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(proxy.baseUrl()
        + "/$export?_type=Patient")), EXPORT_TIMEOUT);
    String fileUrl = manifest.path("output").get(0).path("url").asText();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest download = HttpRequest.newBuilder(URI.create(fileUrl)).header("Accept", BulkExportCalls.NDJSON).build();

    HttpResponse<InputStream> cut = http.send(download, HttpResponse.BodyHandlers.ofInputStream());
    long declared = cut.headers().firstValueAsLong("Content-Length").orElseThrow();
    assertThat(cut.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> {
      try (InputStream body = cut.body()) {
        body.readAllBytes();
      }
    }).isInstanceOf(IOException.class);

    HttpResponse<byte[]> whole = http.send(download, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat((long) whole.body().length).isEqualTo(declared);
    assertThat(proxy.count(Kind.DOWNLOAD)).isEqualTo(2);
  }

  @Test
  void aRefusedKickOffIsTheStatusAskedWithAnOperationOutcomeSayingWhy() {
    proxy.on(Kind.KICK_OFF, 1, Fault.refuse(403, "This client may not export Observation"));

    HttpResponse<String> refused = new BulkExportCalls().kickOff(proxy.baseUrl() + "/$export?_type=Observation");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("application/fhir+json"));
    JsonNode outcome = BulkExportCalls.parse(refused.body());
    assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.path("issue").get(0).path("diagnostics").asText())
        .isEqualTo("This client may not export Observation");
  }

  @Test
  void aTokenDeclaredExpiredIsA401OnThatRequestAndEveryLaterOneWhileAnotherTokenPasses() {
    BulkExportCalls withOldToken = new BulkExportCalls("token-1");
    proxy.on(Kind.STATUS, 2, Fault.expireToken());
    String statusUrl = BulkExportCalls.statusUrl(withOldToken.kickOff(proxy.baseUrl() + "/$export?_type=Patient"));
    assertThat(withOldToken.poll(statusUrl).statusCode()).isIn(200, 202);

    HttpResponse<String> expired = withOldToken.poll(statusUrl);

    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
        assertThat(challenge).startsWith("Bearer").contains("invalid_token"));
    assertThat(withOldToken.poll(statusUrl).statusCode()).isEqualTo(401);
    assertThat(new BulkExportCalls("token-2").poll(statusUrl).statusCode()).isIn(200, 202);
  }
}
