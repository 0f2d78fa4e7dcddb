package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code screen --fhir-base} against the SMART Bulk Data reference server (smart-on-fhir/bulk-data-server), the
 * server Bulk Data clients are first tried against: its SMART Backend Services authorization (clients registered by
 * their public JWKS, ES384 and RS384 assertions), system, Group and Patient level exports, its simulated errors, and
 * the quirks a real client meets there (a 429 whose Retry-After is an epoch timestamp, a rate limit per address, an
 * Accept header taken literally, a {@code _type} naming a type it has no data for refused, a {@code _typeFilter} on a
 * search parameter it lacks accepted and then silently ending the export).
 *
 * <p>Not part of the default build (surefire and failsafe do not pick up {@code *Check} classes): run it with
 * {@code ./mvnw -o -Ppeer-bulk verify -Dpeer.bulk-server=/path/to/bulk-data-server-peer.tar.gz
 * -Dpeer.bulk-database=/path/to/bulk-data-server-database.r4.db.gz} or {@code scripts/peer-bulk-check.sh}. The server
 * is built under {@code target/peer-bulk/}. Each scenario prints one line {@code PEER bulk <name>: ok|FAILED <why>}.
 */
@Tag("peer-bulk")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerBulkDataCheck {

  private static final Path WORK = Path.of("target/peer-bulk").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FHIR_JSON = "application/fhir+json";

  private static PeerBulkDataServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final long CHECK_STARTED = System.nanoTime();

  @BeforeAll
  static void start() throws IOException {
    Path tarball = PeerBulkDataServer.tarball();
    Path database = PeerBulkDataServer.databaseArchive();
    Files.createDirectories(WORK);
    Path built = PeerBulkDataServer.build(tarball, database, WORK);
    long started = System.nanoTime();
    server = PeerBulkDataServer.start(built, SandboxEhr.freePort(), WORK.resolve("server.log"));
    System.out.println("PEER bulk server up in " + (System.nanoTime() - started) / 1_000_000 + " ms at "
        + server.baseUrl() + " (pid and process group " + server.pid() + ", log " + server.log() + ")");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    System.out.println("PEER bulk check took " + (System.nanoTime() - CHECK_STARTED) / 1_000_000_000 + " s");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What the peer does, asked directly (no client of ours): the quirks the scenarios below then meet through screen

  /** Its kick-off takes the Accept header literally: {@code application/fhir+json; charset=utf-8} is refused. */
  @Test
  @Order(1)
  void quirkAcceptHeaderTakenLiterally() {
    scenario("quirk-accept-literal", () -> {
      HttpResponse<String> withCharset = kickOff(server.fhirBase() + "/Patient/$export?_type=Patient",
          FHIR_JSON + "; charset=utf-8");
      HttpResponse<String> exact = kickOff(server.fhirBase() + "/Patient/$export?_type=Patient", FHIR_JSON);
      assertThat(withCharset.statusCode()).as("kick-off with a charset parameter").isEqualTo(400);
      assertThat(exact.statusCode()).as("kick-off with exactly application/fhir+json").isEqualTo(202);
      cancel(exact);
      return "HTTP 400 \"" + diagnostics(withCharset.body()) + "\" for 'application/fhir+json; charset=utf-8', 202 "
          + "for 'application/fhir+json'";
    });
  }

  /**
   * A {@code _type} naming a resource type it has no data for (MedicationStatement, Medication: its 100 Synthea
   * patients have none) is refused with an OperationOutcome, rather than ignored as Bulk Data lets a server do.
   */
  @Test
  @Order(2)
  void quirkTypeWithoutDataRefused() {
    scenario("quirk-type-without-data", () -> {
      HttpResponse<String> answer = kickOff(server.fhirBase()
          + "/$export?_type=Patient,Condition,MedicationStatement", FHIR_JSON);
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(diagnostics(answer.body())).contains("MedicationStatement");
      return "HTTP 400 \"" + diagnostics(answer.body()) + "\"";
    });
  }

  /**
   * Its {@code _typeFilter} evaluates each query with its own short list of search parameters: Observation has
   * {@code date} and {@code category} but not {@code code}. An unknown one is not refused at kick-off: the export
   * stops at the first resource it cannot test and the manifest lists only the types exported before it, with no
   * error.
   */
  @Test
  @Order(3)
  void quirkTypeFilterOnAnUnknownParameterEndsTheExportSilently() {
    scenario("quirk-typefilter", () -> {
      String types = "_type=Patient,Condition,Observation,MedicationRequest,AllergyIntolerance";
      JsonNode byCategory = exportManifest(server.fhirBase() + "/Patient/$export?" + types + "&_typeFilter="
          + encode("Observation?category=vital-signs&date=ge2015-01-01"), null);
      JsonNode byCode = exportManifest(server.fhirBase() + "/Patient/$export?" + types + "&_typeFilter="
          + encode("Observation?code=http://loinc.org|29463-7&date=ge2015-01-01"), null);
      List<String> categoryTypes = outputTypes(byCategory);
      List<String> codeTypes = outputTypes(byCode);
      assertThat(categoryTypes).contains("Patient", "Observation");
      assertThat(codeTypes).doesNotContain("Patient", "Observation");
      assertThat(byCode.path("error")).isEmpty();
      return "Observation?category=…&date=… honoured (" + counts(byCategory) + "); Observation?code=… accepted (202) "
          + "but the manifest stops before Observation, no error (" + counts(byCode) + ")";
    });
  }

  /**
   * Its rate limit: 60 kick-offs a minute per address, then 429 for 5 minutes with Retry-After an absolute epoch
   * timestamp, in milliseconds on the first refusal and in seconds after it. Exercised from {@code [::1]}, which the
   * server counts apart from {@code 127.0.0.1}, so that the other scenarios are not locked out; the 60 requests are
   * refused ones (a wrong Accept header), so that no job is started.
   */
  @Test
  @Order(4)
  void quirkRateLimitRetryAfterIsAnEpoch() {
    scenario("quirk-rate-limit", () -> {
      String ipv6 = server.baseUrl().replace("127.0.0.1", "[::1]") + "/fhir/$export";
      HttpResponse<String> answer = null;
      int sent = 0;
      while (sent < 70) {
        answer = kickOff(ipv6, "text/plain");
        sent++;
        if (answer.statusCode() == 429) {
          break;
        }
      }
      assertThat(answer.statusCode()).as("after " + sent + " kick-offs in a minute").isEqualTo(429);
      String first = answer.headers().firstValue("Retry-After").orElse("");
      String second = kickOff(ipv6, FHIR_JSON).headers().firstValue("Retry-After").orElse("");
      long now = Instant.now().getEpochSecond();
      assertThat(Long.parseLong(first) / 1000 - now).as("first Retry-After as epoch milliseconds, from now")
          .isBetween(290L, 310L);
      assertThat(Long.parseLong(second) - now).as("next Retry-After as epoch seconds, from now").isBetween(290L, 310L);
      rateLimitedBase = server.baseUrl().replace("127.0.0.1", "[::1]") + "/fhir";
      return "429 after " + (sent - 1) + " kick-offs; Retry-After " + first + " (epoch ms) then " + second
          + " (epoch s), both ≈ now + 300 s";
    });
  }

  /** Set once {@code [::1]} is locked out of system-level kick-offs (for the client's 429 scenario). */
  private static String rateLimitedBase;

  /** Clients register by their public JWKS at {@code /auth/register}, without its home page, and get tokens. */
  @Test
  @Order(5)
  void registrationAndTokenEs384AndRs384() {
    scenario("register-and-token", () -> {
      List<String> granted = new ArrayList<>();
      for (JWK key : List.of(ecKey(), rsaKey())) {
        String clientId = server.register(new JWKSet(key.toPublicJWK()).toString(), null, null);
        JsonNode token = token(key, clientId, "system/Patient.rs system/Observation.rs");
        assertThat(token.path("access_token").asText()).isNotBlank();
        granted.add(key.getAlgorithm() + ": scope \"" + token.path("scope").asText() + "\", expires_in "
            + token.path("expires_in").asInt());
      }
      return String.join("; ", granted);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Runs one scenario, printing {@code PEER bulk <name>: ok …} or {@code … FAILED <why>}; a failure fails the test. */
  private static void scenario(String name, ThrowingSupplier what) {
    long started = System.nanoTime();
    try {
      String detail = what.get();
      System.out.println("PEER bulk " + name + ": ok (" + (System.nanoTime() - started) / 1_000_000 + " ms) "
          + detail);
    } catch (AssertionError | Exception e) {
      System.out.println("PEER bulk " + name + ": FAILED " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
      if (e instanceof AssertionError assertion) {
        throw assertion;
      }
      throw new AssertionError(name + " failed", e);
    }
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    String get() throws Exception;
  }

  static ECKey ecKey() throws Exception {
    return new ECKeyGenerator(Curve.P_384).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.ES384)
        .keyUse(KeyUse.SIGNATURE).generate();
  }

  static RSAKey rsaKey() throws Exception {
    return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS384)
        .keyUse(KeyUse.SIGNATURE).generate();
  }

  /** A Backend Services token from the peer, asked for as the spec says (a private_key_jwt client assertion). */
  private static JsonNode token(JWK key, String clientId, String scope) throws Exception {
    JWSAlgorithm alg = (JWSAlgorithm) key.getAlgorithm();
    SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
        .build(), new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(server.tokenUrl())
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
    assertion.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
    String form = "grant_type=client_credentials&scope=" + encode(scope)
        + "&client_assertion_type=" + encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        + "&client_assertion=" + assertion.serialize();
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("token: " + answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static HttpResponse<String> kickOff(String url, String accept) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
          .header("Prefer", "respond-async").timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("kick-off " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kicks off, polls every 2 s (well under its 60 status requests a minute), returns the manifest, deletes the job. */
  private static JsonNode exportManifest(String kickOffUrl, String bearer) throws Exception {
    HttpResponse<String> started = kickOff(kickOffUrl, FHIR_JSON);
    assertThat(started.statusCode()).as("kick-off " + kickOffUrl + ": " + started.body()).isEqualTo(202);
    URI status = URI.create(started.headers().firstValue("Content-Location").orElseThrow());
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      HttpRequest.Builder poll = HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(30));
      if (bearer != null) {
        poll.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<String> answer = HTTP.send(poll.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 200) {
        HTTP.send(HttpRequest.newBuilder(status).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        return JSON.readTree(answer.body());
      }
      assertThat(answer.statusCode()).as("status " + status + ": " + answer.body()).isEqualTo(202);
      Thread.sleep(2000);
    }
    throw new AssertionError("the export at " + kickOffUrl + " did not finish in 3 minutes");
  }

  private static void cancel(HttpResponse<String> started) throws Exception {
    String location = started.headers().firstValue("Content-Location").orElse(null);
    if (location != null) {
      HTTP.send(HttpRequest.newBuilder(URI.create(location)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  private static List<String> outputTypes(JsonNode manifest) {
    List<String> types = new ArrayList<>();
    manifest.path("output").forEach(o -> {
      if (!types.contains(o.path("type").asText())) {
        types.add(o.path("type").asText());
      }
    });
    return types;
  }

  private static String counts(JsonNode manifest) {
    List<String> counts = new ArrayList<>();
    manifest.path("output").forEach(o -> counts.add(o.path("type").asText() + " " + o.path("count").asInt()));
    return counts.isEmpty() ? "nothing" : String.join(", ", counts);
  }

  private static String diagnostics(String operationOutcome) {
    try {
      return JSON.readTree(operationOutcome).path("issue").path(0).path("diagnostics").asText(operationOutcome);
    } catch (IOException e) {
      return operationOutcome;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
