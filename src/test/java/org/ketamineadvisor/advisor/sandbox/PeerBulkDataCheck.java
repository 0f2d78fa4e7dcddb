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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ketamineadvisor.advisor.cli.CommandLine;
import org.springframework.util.FileSystemUtils;

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
  /** The same server (another instance) behind {@link #proxy}. */
  private static PeerBulkDataServer proxied;
  private static FaultProxy proxy;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final long CHECK_STARTED = System.nanoTime();
  private static final String SECURE = "{\"secure\":1}";
  private static final LocalDate AS_OF = LocalDate.now(ZoneOffset.UTC);

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
    // a second instance behind the fault proxy, told the proxy's address as its own: its links, token endpoint and
    // token audience are then the proxy's, so that every call of the client goes through the proxy
    int behind = SandboxEhr.freePort();
    proxy = FaultProxy.inFrontOf("http://127.0.0.1:" + behind + "/fhir");
    proxied = PeerBulkDataServer.start(built, behind, proxy.origin(), WORK.resolve("server-proxied.log"));
    System.out.println("PEER bulk server behind FaultProxy: " + proxy.origin() + " -> http://127.0.0.1:" + behind
        + " (pid and process group " + proxied.pid() + ", log " + proxied.log() + ")");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (proxied != null) {
      proxied.close();
    }
    if (proxy != null) {
      proxy.close();
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
  @Order(6)
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
  // screen --fhir-base against it, in-process (cli.CommandLine.run), with keys made by backend-key

  /**
   * The default scope names every type the rules read, and this server's token endpoint refuses a scope naming a
   * type it holds no data for (MedicationStatement, Medication): screen narrows it to the scopes the server lists
   * in its smart-configuration and gets a token.
   */
  @Test
  @Order(10)
  void defaultScopeNarrowedToWhatTheServerLists() {
    scenario("default-scope", () -> {
      Key key = backendKey("ES384", "default-scope");
      String clientId = server.register(key.publicJwks(), null, null);
      Path out = out("default-scope");
      Run run = screen(out, "--fhir-base", server.fhirBase(SECURE), "--export-level", "patient", "--client-id",
          clientId, "--private-key", key.file().toString());
      assertScreenedWithoutMedicationStatement(run);
      return "exit " + run.exit() + " in " + run.seconds() + " s; stderr: " + firstLine(run.err(), "scope");
    });
  }

  /**
   * The main path: a token required ({"secure":1}), an ES384 key from {@code backend-key}, a system-level export.
   * Then the same folder screened from disk gives the same screen.ndjson, and {@code assess} over it agrees patient
   * by patient (each candidate's line is the assess line plus what decides it and what is missing; everyone else is
   * not indicated).
   */
  @Test
  @Order(11)
  void systemExportWithAnEs384Key() throws Exception {
    scenario("system-es384", () -> {
      Key key = backendKey("ES384", "system");
      String clientId = server.register(key.publicJwks(), null, null);
      Path out = out("system-es384");
      Run run = screen(out, "--fhir-base", server.fhirBase(SECURE), "--client-id", clientId, "--private-key",
          key.file().toString());
      assertScreenedWithoutMedicationStatement(run);
      for (String file : List.of("screen.ndjson", "worklist.csv", "summary.html")) {
        assertThat(out.resolve(file)).as(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(file))))
            .as(file + " permissions").isEqualTo("rw-------");
      }
      List<String> screened = Files.readAllLines(out.resolve("screen.ndjson"));
      int patients = countLines(out.resolve("export"), "Patient");
      assertThat(patients).as("Patient resources downloaded").isEqualTo(100);
      assertNoPatientIdIn(run.err(), out.resolve("export"));

      // the server holds no MedicationStatement, so the --fhir-base screen has the medication rules unknown; the
      // same files on disk (where nothing says a type is missing) are screened as assess reads them
      Path fromDisk = out("system-es384-from-disk");
      Run again = screenInput(fromDisk, out.resolve("export"));
      assertThat(again.exit()).as("screen --input OUT/export: " + again.describe()).isZero();
      assertThat(patientsOf(Files.readAllLines(fromDisk.resolve("screen.ndjson")))).as("screen --input OUT/export")
          .isEqualTo(patientsOf(screened));
      screened = Files.readAllLines(fromDisk.resolve("screen.ndjson"));

      Run assess = cli("assess", "--input", out.resolve("export").toString(), "--as-of", AS_OF.toString());
      assertThat(assess.exit()).as("assess --input OUT/export: " + assess.describe()).isZero();
      String agreement = agreesWithAssess(screened, assess.out());
      return "exit 3 (no MedicationStatement on the server) in " + run.seconds() + " s, " + patients + " patients, "
          + screened.size() + " candidate(s) "
          + verdicts(screened) + "; screen --input OUT/export: same screen.ndjson (exit " + again.exit() + "); assess "
          + "--input OUT/export (exit " + assess.exit() + "): " + agreement;
    });
  }

  /** An RS384 key, and a Group-level export of the largest of the server's Groups: only its members come. */
  @Test
  @Order(12)
  void groupExportWithAnRs384Key() throws Exception {
    scenario("group-rs384", () -> {
      JsonNode groups = JSON.readTree(server.get(server.fhirBase() + "/Group", FHIR_JSON).body());
      JsonNode largest = null;
      for (JsonNode entry : groups.path("entry")) {
        JsonNode group = entry.path("resource");
        if (largest == null || group.path("quantity").asInt() > largest.path("quantity").asInt()) {
          largest = group;
        }
      }
      assertThat(largest).as("a Group on the server").isNotNull();
      String id = largest.path("id").asText();
      int members = largest.path("quantity").asInt();
      Key key = backendKey("RS384", "group");
      String clientId = server.register(key.publicJwks(), null, null);
      Path out = out("group-rs384");
      Run run = screen(out, "--fhir-base", server.fhirBase(SECURE), "--group", id, "--client-id", clientId,
          "--private-key", key.file().toString());
      assertScreenedWithoutMedicationStatement(run);
      int patients = countLines(out.resolve("export"), "Patient");
      assertThat(patients).as("Patients exported for Group " + id).isEqualTo(members);
      return "Group/" + id + " (" + groups.path("entry").size() + " Groups on the server): exit " + run.exit() + " in " + run.seconds()
          + " s, " + patients + " patients (its quantity " + members + "), "
          + Files.readAllLines(out.resolve("screen.ndjson")).size() + " candidate(s)";
    });
  }

  /** An RS384 key and a Patient-level export ([base]/Patient/$export). */
  @Test
  @Order(13)
  void patientExportWithAnRs384Key() throws Exception {
    scenario("patient-rs384", () -> {
      Key key = backendKey("RS384", "patient");
      String clientId = server.register(key.publicJwks(), null, null);
      Path out = out("patient-rs384");
      Run run = screen(out, "--fhir-base", server.fhirBase(SECURE), "--export-level", "patient", "--client-id",
          clientId, "--private-key", key.file().toString());
      assertScreenedWithoutMedicationStatement(run);
      int patients = countLines(out.resolve("export"), "Patient");
      assertThat(patients).isEqualTo(100);
      return "exit " + run.exit() + " in " + run.seconds() + " s, " + patients + " patients, "
          + Files.readAllLines(out.resolve("screen.ndjson")).size() + " candidate(s)";
    });
  }

  /** {"err":"transient_error"}: the status request fails with a 500 whose OperationOutcome says "transient". */
  @Test
  @Order(20)
  void transientErrorDuringStatus() {
    scenario("transient-error", () -> {
      Path out = out("transient");
      Run run = screen(out, client("transient", "--fhir-base",
          server.fhirBase("{\"secure\":1,\"err\":\"transient_error\"}"), "--export-level", "patient"));
      assertScreenedWithoutMedicationStatement(run);
      assertThat(out.resolve("screen.ndjson")).isRegularFile();
      return "exit " + run.exit() + " in " + run.seconds() + " s; stderr: " + firstLine(run.err(), "transient");
    });
  }

  /**
   * {"err":"some_file_generation_failed"}: the manifest lists some files under {@code error} (OperationOutcome
   * NDJSON): they are downloaded and reported, the rest is screened, exit 3.
   */
  @Test
  @Order(21)
  void someFilesFailOnTheServer() throws Exception {
    scenario("some-files-failed", () -> {
      Path out = out("some-files-failed");
      Run run = screen(out, client("some-files-failed", "--fhir-base",
          server.fhirBase("{\"secure\":1,\"err\":\"some_file_generation_failed\"}"), "--export-level", "patient"));
      assertThat(run.exit()).as(run.describe()).isEqualTo(3);
      assertThat(out.resolve("screen.ndjson")).isRegularFile();
      assertThat(out.resolve("summary.html")).isRegularFile();
      List<Path> errorFiles;
      try (Stream<Path> files = Files.list(out.resolve("export/errors"))) {
        errorFiles = files.toList();
      }
      assertThat(errorFiles).isNotEmpty();
      return "exit 3 in " + run.seconds() + " s, " + errorFiles.size() + " error file(s) kept in export/errors; "
          + "stderr: " + firstLine(run.err(), "error:");
    });
  }

  /**
   * A client registered with {@code err=request_expired_token}: every token it gets is refused as expired (401),
   * a new one too. screen must ask for a new token, then stop with a clear message (exit 2), not loop.
   */
  @Test
  @Order(22)
  void everyTokenRefusedAsExpired() {
    scenario("request-expired-token", () -> {
      Key key = backendKey("ES384", "expired");
      String clientId = server.register(key.publicJwks(), null, "request_expired_token");
      long tokensBefore = tokenRequests();
      Run run = screen(out("request-expired-token"), "--fhir-base", server.fhirBase(SECURE), "--client-id",
          clientId, "--private-key", key.file().toString());
      long tokens = tokenRequests() - tokensBefore;
      assertThat(run.exit()).as(run.describe()).isEqualTo(2);
      assertThat(tokens).as("token requests").isBetween(1L, 4L);
      return "exit 2 in " + run.seconds() + " s after " + tokens + " token request(s): " + firstLine(run.err(),
          "error:");
    });
  }

  /**
   * {"err":"file_generation_failed"}: the kick-off itself is refused (HTTP 500 with an OperationOutcome); screen shows
   * the server's words and stops, exit 2.
   */
  @Test
  @Order(24)
  void kickOffRefused() {
    scenario("kick-off-refused", () -> {
      Run run = screen(out("kick-off-refused"), client("kick-off-refused", "--fhir-base",
          server.fhirBase("{\"secure\":1,\"err\":\"file_generation_failed\"}"), "--export-level", "patient"));
      assertThat(run.exit()).as(run.describe()).isEqualTo(2);
      assertThat(run.err()).contains("File generation failed");
      return "exit 2: " + firstLine(run.err(), "error:");
    });
  }

  /**
   * A Group the server does not have: it accepts the kick-off and delivers an empty export (no error). What screen
   * makes of it is recorded.
   */
  @Test
  @Order(25)
  void unknownGroup() throws Exception {
    scenario("unknown-group", () -> {
      Path out = out("unknown-group");
      Run run = screen(out, client("unknown-group", "--fhir-base", server.fhirBase(SECURE), "--group",
          "no-such-group"));
      List<String> lines = Files.exists(out.resolve("screen.ndjson"))
          ? Files.readAllLines(out.resolve("screen.ndjson")) : List.of();
      return "exit " + run.exit() + ", " + lines.size() + " candidate(s); stderr: "
          + firstLine(run.err(), "error:", "no patient", "empty", "screen: done");
    });
  }

  /**
   * The real rate limit met by screen: from {@code [::1]}, which {@link #quirkRateLimitRetryAfterIsAnEpoch} locked
   * out of system-level kick-offs for 5 minutes, the 429's epoch Retry-After must be read as about 300 s (not as
   * 1.8 billion seconds, nor as 1 s). screen is run in a thread and stopped once it has said how long it waits.
   */
  @Test
  @Order(5)
  void rateLimitedKickOffReadAsAnEpoch() throws Exception {
    scenario("rate-limit-real", () -> {
      assertThat(rateLimitedBase).as("[::1] locked out by quirk-rate-limit").isNotNull();
      StringWriter err = new StringWriter();
      Path out = out("rate-limit-real");
      Thread thread = new Thread(() -> CommandLine.run(new String[] {"screen", "--fhir-base", rateLimitedBase,
          "--out", out.toString(), "--as-of", AS_OF.toString()}, Clock.systemUTC(),
          new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
      thread.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && thread.isAlive() && !err.toString().contains("busy")) {
        Thread.sleep(200);
      }
      thread.interrupt();
      thread.join(30_000);
      String said = firstLine(err.toString(), "busy");
      Matcher seconds = Pattern.compile("(\\d+) s").matcher(said);
      assertThat(seconds.find()).as("a wait in seconds in: " + err).isTrue();
      assertThat(Long.parseLong(seconds.group(1))).as("the wait read from the epoch Retry-After")
          .isBetween(200L, 301L);
      return "stderr: " + said + (thread.isAlive() ? " (screen still waiting after interrupt!)" : "");
    });
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * What screen's {@code _typeFilter} (the rules' Observation codes within the look-back) meets here: its kick-offs,
   * read from the server's access log, and what it said. This server evaluates {@code Observation?code=…} with a
   * search parameter it does not have and ends the export silently before Observation and Patient
   * (quirk-typefilter); screen must notice and end up with the whole population.
   */
  @Test
  @Order(14)
  void typeFilterFallback() throws Exception {
    scenario("typefilter-fallback", () -> {
      long mark = logLines(server);
      Path out = out("typefilter");
      Run run = screen(out, client("typefilter", "--fhir-base", server.fhirBase(SECURE), "--export-level",
          "patient"));
      List<String> kickOffs = new ArrayList<>();
      try (Stream<String> lines = Files.lines(server.log())) {
        lines.skip(mark).filter(l -> l.contains("/Patient/$export")).forEach(l -> {
          Matcher request = Pattern.compile("\"GET [^?\" ]*(\\?[^\" ]*)? HTTP/1.1\" (\\d+)").matcher(l);
          if (request.find()) {
            String query = request.group(1) == null ? "" : request.group(1);
            kickOffs.add((query.contains("_typeFilter") ? "_type+_typeFilter" : query.contains("_type") ? "_type"
                : "no _type") + (query.contains("MedicationStatement") ? " (with MedicationStatement)" : "")
                + " -> " + request.group(2));
          }
        });
      }
      assertScreenedWithoutMedicationStatement(run);
      assertThat(countLines(out.resolve("export"), "Patient")).isEqualTo(100);
      assertThat(countLines(out.resolve("export"), "Observation")).isPositive();
      return "kick-offs " + kickOffs + "; the export whole (100 Patient, "
          + countLines(out.resolve("export"), "Observation") + " Observation); stderr: "
          + firstLine(run.err(), "no Patient", "_typeFilter");
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // through FaultProxy in front of the server: faults a real network and a busy server add

  /** A 429 on a status request with Retry-After an epoch timestamp (seconds) 8 s ahead: waited out, completes. */
  @Test
  @Order(30)
  void throttledStatusWithAnEpochRetryAfter() throws Exception {
    scenario("proxy-429-epoch", () -> {
      int before = proxy.count(FaultProxy.Kind.STATUS);
      proxy.on(FaultProxy.Kind.STATUS, before + 2, FaultProxy.Fault.tooManyRequests(Duration.ofSeconds(8)));
      Path out = out("proxy-429");
      Run run = screen(out, client(proxied, null, "proxy-429", "--fhir-base", proxiedBase(SECURE), "--export-level",
          "patient"));
      int polls = proxy.count(FaultProxy.Kind.STATUS) - before;
      assertScreenedWithoutMedicationStatement(run);
      assertThat(polls).as("status requests (the second answered 429)").isGreaterThanOrEqualTo(3);
      assertThat(run.seconds()).as("the run waited out the 8 s").isGreaterThanOrEqualTo(8);
      return "exit " + run.exit() + " in " + run.seconds() + " s, " + polls + " status requests at the proxy, the second answered 429 "
          + "with Retry-After = now + 8 s as epoch seconds" + (run.err().contains("HTTP 429")
          ? "; stderr: " + firstLine(run.err(), "HTTP 429") : " (stderr says nothing of it: not on a terminal)");
    });
  }

  /** A 503 with Retry-After 3 on a status request: waited out, completes. */
  @Test
  @Order(31)
  void unavailableStatus() throws Exception {
    scenario("proxy-503", () -> {
      proxy.on(FaultProxy.Kind.STATUS, proxy.count(FaultProxy.Kind.STATUS) + 1, FaultProxy.Fault.unavailable(3));
      Path out = out("proxy-503");
      Run run = screen(out, client(proxied, null, "proxy-503", "--fhir-base", proxiedBase(SECURE), "--export-level",
          "patient"));
      assertScreenedWithoutMedicationStatement(run);
      return "exit " + run.exit() + " in " + run.seconds() + " s; stderr: " + firstLine(run.err(), "HTTP 503");
    });
  }

  /** The second file's download cut halfway (Content-Length promised, connection dropped): retried, completes. */
  @Test
  @Order(32)
  void downloadCutHalfway() throws Exception {
    scenario("proxy-cut-download", () -> {
      int before = proxy.count(FaultProxy.Kind.DOWNLOAD);
      proxy.on(FaultProxy.Kind.DOWNLOAD, before + 2, FaultProxy.Fault.cutHalfway());
      Path out = out("proxy-cut");
      Run run = screen(out, client(proxied, null, "proxy-cut", "--fhir-base", proxiedBase(SECURE), "--export-level",
          "patient"));
      int downloads = proxy.count(FaultProxy.Kind.DOWNLOAD) - before;
      int files = exportFiles(out).size();
      assertScreenedWithoutMedicationStatement(run);
      assertThat(downloads).as("downloads at the proxy for " + files + " files").isEqualTo(files + 1);
      Path fromDisk = out("proxy-cut-from-disk");
      screenInput(fromDisk, out.resolve("export"));
      // the same candidates (their lines differ only in the medication rules this server cannot export)
      assertThat(patientsOf(Files.readAllLines(fromDisk.resolve("screen.ndjson"))))
          .isEqualTo(patientsOf(Files.readAllLines(out.resolve("screen.ndjson"))));
      return "exit " + run.exit() + " in " + run.seconds() + " s; " + downloads + " downloads for " + files + " files (the cut one "
          + "again); stderr: " + firstLine(run.err(), "broke off", "tried again");
    });
  }

  /**
   * The token expiring mid-export, for real: a client whose tokens last 1 minute ({@code dur=1}) and a 503 asking
   * to wait 65 s on a status request, so that the next status request carries a token the server itself finds
   * expired (401). screen asks for a new one and completes.
   */
  @Test
  @Order(33)
  void tokenExpiresMidExport() throws Exception {
    scenario("token-expires-mid-export", () -> {
      int tokensBefore = proxy.count(FaultProxy.Kind.TOKEN);
      proxy.on(FaultProxy.Kind.STATUS, proxy.count(FaultProxy.Kind.STATUS) + 1, FaultProxy.Fault.unavailable(65));
      Path out = out("token-expires");
      Run run = screen(out, client(proxied, 1, "token-expires", "--fhir-base", proxiedBase(SECURE),
          "--export-level", "patient"));
      int tokens = proxy.count(FaultProxy.Kind.TOKEN) - tokensBefore;
      assertScreenedWithoutMedicationStatement(run);
      assertThat(tokens).as("token requests with 60 s tokens over a " + run.seconds() + " s run")
          .isGreaterThanOrEqualTo(2);
      long refused = countInLog(proxied, "\" 401 ");
      return "exit " + run.exit() + " in " + run.seconds() + " s with 60 s tokens: " + tokens + " token requests; " + (refused == 0
          ? "renewed before the server had to refuse one (no 401 in its log)" : refused + " 401(s) in its log");
    });
  }

  /**
   * Resume: the third file's download refused (HTTP 500 from the proxy) as many times as the client tries, so the
   * first run stops with two files; the same command again downloads only the rest, from
   * the same job: nothing downloaded twice, counted at the proxy.
   */
  @Test
  @Order(34)
  void resumeDownloadsNothingTwice() throws Exception {
    scenario("resume", () -> {
      int before = proxy.count(FaultProxy.Kind.DOWNLOAD);
      int kickOffs = proxy.count(FaultProxy.Kind.KICK_OFF);
      // the third file refused as often as the client tries a file (FileDownloader.ATTEMPTS, 4), then no more faults
      for (int n = 3; n < 3 + 4; n++) {
        proxy.on(FaultProxy.Kind.DOWNLOAD, before + n, FaultProxy.Fault.refuse(500, "simulated failure " + n));
      }
      Path out = out("resume");
      String[] args = client(proxied, null, "resume", "--fhir-base", proxiedBase(SECURE), "--export-level",
          "patient");
      Run first = screen(out, args);
      int firstDownloads = proxy.count(FaultProxy.Kind.DOWNLOAD) - before;
      List<Path> kept = exportFiles(out);
      int firstKickOffs = proxy.count(FaultProxy.Kind.KICK_OFF) - kickOffs;
      assertThat(first.exit()).as(first.describe()).isNotZero();
      assertThat(kept).as("files kept by the interrupted run").hasSize(2);

      int middle = proxy.count(FaultProxy.Kind.DOWNLOAD);
      int middleKickOffs = proxy.count(FaultProxy.Kind.KICK_OFF);
      Run second = screen(out, args);
      int secondDownloads = proxy.count(FaultProxy.Kind.DOWNLOAD) - middle;
      int files = exportFiles(out).size();
      assertScreenedWithoutMedicationStatement(second);
      assertThat(proxy.count(FaultProxy.Kind.KICK_OFF) - middleKickOffs).as("kick-offs by the resumed run").isZero();
      assertThat(secondDownloads).as("downloads by the resumed run, " + files + " files, 2 kept").isEqualTo(files - 2);
      return "run 1 exit " + first.exit() + " (" + firstKickOffs + " kick-off(s), " + firstDownloads + " download "
          + "requests, 2 files kept: " + firstLine(first.err(), "error:") + "); run 2 exit " + second.exit() + ": 0 kick-offs, "
          + secondDownloads + " downloads for the " + (files - 2) + " missing of " + files + " files";
    });
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  /** A private key made by {@code backend-key}, and the public JWK Set it printed. */
  record Key(Path file, String publicJwks) {}

  /** One in-process command: its exit status, stdout, stderr and time. */
  record Run(int exit, String out, String err, long millis) {
    long seconds() {
      return Math.round(millis / 1000.0);
    }

    String describe() {
      return "exit " + exit + " after " + seconds() + " s; stderr: " + err.replaceAll("\\s+", " ");
    }
  }

  static Key backendKey(String alg, String name) throws IOException {
    Path file = WORK.resolve("keys").resolve(name + "-" + alg.toLowerCase(Locale.ROOT) + "-"
        + UUID.randomUUID().toString().substring(0, 8) + ".jwk");
    Files.createDirectories(file.getParent());
    Run made = cli("backend-key", "--alg", alg, "--out", file.toString());
    assertThat(made.exit()).as(made.describe()).isZero();
    return new Key(file, made.out().trim());
  }

  static Run screen(Path out, String... args) {
    List<String> all = new ArrayList<>(List.of("screen"));
    all.addAll(List.of(args));
    all.addAll(List.of("--out", out.toString(), "--as-of", AS_OF.toString()));
    return cli(all.toArray(String[]::new));
  }

  /** {@code args} with a newly registered ES384 client's options (its key made by backend-key, the default scope). */
  static String[] client(String name, String... args) throws IOException {
    return client(server, null, name, args);
  }

  /** As {@link #client(String, String...)}, registered at {@code at} with tokens lasting {@code minutes}. */
  static String[] client(PeerBulkDataServer at, Integer minutes, String name, String... args) throws IOException {
    Key key = backendKey("ES384", name);
    String clientId = at.register(key.publicJwks(), minutes, null);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--client-id", clientId, "--private-key", key.file().toString()));
    return all.toArray(String[]::new);
  }

  static Run screenInput(Path out, Path input) {
    return cli("screen", "--input", input.toString(), "--out", out.toString(), "--as-of", AS_OF.toString());
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long started = System.nanoTime();
    int exit = CommandLine.run(args, Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString(), (System.nanoTime() - started) / 1_000_000);
  }

  /** A fresh folder for one scenario's --out. */
  static Path out(String name) throws IOException {
    Path out = WORK.resolve("out").resolve(name);
    FileSystemUtils.deleteRecursively(out);
    Files.createDirectories(out.getParent());
    return out;
  }

  /** How many resources of {@code type} the export folder's NDJSON files hold (lines of its *.TYPE.ndjson). */
  static int countLines(Path folder, String type) throws IOException {
    int lines = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith("." + type + ".ndjson")).toList()) {
        try (Stream<String> content = Files.lines(file)) {
          lines += (int) content.filter(l -> !l.isBlank()).count();
        }
      }
    }
    return lines;
  }

  /** stderr carries no patient id (the ids of the exported Patients). */
  static void assertNoPatientIdIn(String stderr, Path export) throws IOException {
    try (Stream<Path> files = Files.list(export)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".Patient.ndjson")).toList()) {
        for (String line : Files.readAllLines(file)) {
          String id = JSON.readTree(line).path("id").asText();
          assertThat(stderr).as("stderr must not name patient " + id).doesNotContain(id);
        }
      }
    }
  }

  /**
   * Each screen.ndjson line is the assess line of the same patient plus its deciding and missing rules; every
   * patient assess finds and screen does not list is not indicated.
   */
  static String agreesWithAssess(List<String> screened, String assessOut) throws IOException {
    Map<String, JsonNode> assessed = new LinkedHashMap<>();
    for (String line : assessOut.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assessed.put(node.path("patient").asText(), node);
      }
    }
    Set<String> candidates = new HashSet<>();
    for (String line : screened) {
      JsonNode screen = JSON.readTree(line);
      String patient = screen.path("patient").asText();
      candidates.add(patient);
      JsonNode assess = assessed.get(patient);
      assertThat(assess).as("assess has a line for the candidate " + patient).isNotNull();
      assess.fieldNames().forEachRemaining(field -> assertThat(screen.get(field)).as(patient + " " + field)
          .isEqualTo(assess.get(field)));
    }
    // the documented deviation (Screening's Javadoc, docs/command-line.md § screen): screen counts every patient
    // without a neuropathic pain condition as not indicated; assess agrees that IND-NEUROPATHIC is not met, but says
    // "contraindicated" when the record also holds a contraindication (§ 3 puts it first). Anything else differs.
    List<String> disagreements = new ArrayList<>();
    long others = 0;
    long contraindicated = 0;
    for (Map.Entry<String, JsonNode> entry : assessed.entrySet()) {
      if (candidates.contains(entry.getKey())) {
        continue;
      }
      others++;
      String verdict = entry.getValue().path("verdict").asText();
      // the line lists met and unknown findings (and a deciding not-met); an absent IND-NEUROPATHIC is not met
      String neuropathic = "not-met";
      for (JsonNode f : entry.getValue().path("findings")) {
        if (f.path("rule").asText().equals("IND-NEUROPATHIC")) {
          neuropathic = f.path("outcome").asText();
        }
      }
      if (verdict.equals("contraindicated")) {
        contraindicated++;
      }
      if (!neuropathic.equals("not-met") || !(verdict.equals("not-indicated") || verdict.equals("contraindicated"))) {
        List<String> met = new ArrayList<>();
        entry.getValue().path("findings").forEach(f -> {
          if (f.path("outcome").asText().equals("met") && !f.path("rule").asText().startsWith("IND-")) {
            met.add(f.path("rule").asText());
          }
        });
        disagreements.add(entry.getKey() + " " + verdict + " IND-NEUROPATHIC " + neuropathic + " " + met);
      }
    }
    assertThat(disagreements).as("patients screen counts as not indicated (no neuropathic pain condition) whom "
        + "assess finds otherwise than the documented deviation (IND-NEUROPATHIC not met; not-indicated or "
        + "contraindicated)").isEmpty();
    return screened.size() + " candidate(s) identical field by field; the " + others + " others: IND-NEUROPATHIC not "
        + "met in assess too, " + (others - contraindicated) + " not-indicated and " + contraindicated
        + " contraindicated (the documented deviation: screen counts them not indicated)";
  }

  static String verdicts(List<String> screened) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : screened) {
      counts.merge(JSON.readTree(line).path("verdict").asText(), 1, Integer::sum);
    }
    return counts.toString();
  }

  /** The FHIR base of the server behind the proxy, through the proxy, with options. */
  static String proxiedBase(String optionsJson) {
    return proxy.origin() + "/" + PeerBulkDataServer.simSegment(optionsJson) + "/fhir";
  }

  /** The resource files of an export folder (not its state, not its errors/). */
  static List<Path> exportFiles(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out.resolve("export"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList();
    }
  }

  static long logLines(PeerBulkDataServer at) throws IOException {
    try (Stream<String> lines = Files.lines(at.log())) {
      return lines.count();
    }
  }

  static long countInLog(PeerBulkDataServer at, String needle) throws IOException {
    try (Stream<String> lines = Files.lines(at.log())) {
      return lines.filter(l -> l.contains(needle)).count();
    }
  }

  /** The token requests the server has logged so far (its access log, one line per request). */
  static long tokenRequests() throws IOException {
    return tokenRequests(server);
  }

  static long tokenRequests(PeerBulkDataServer at) throws IOException {
    try (Stream<String> lines = Files.lines(at.log())) {
      return lines.filter(l -> l.contains("\"POST /auth/token ")).count();
    }
  }

  /** The first line of {@code text} holding any of {@code needles}, or its first line. */
  static String firstLine(String text, String... needles) {
    String[] lines = text.split("\n");
    for (String line : lines) {
      for (String needle : needles) {
        if (line.contains(needle)) {
          return line.trim();
        }
      }
    }
    return lines.length > 0 ? lines[0].trim() : "";
  }

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

  /**
   * The reference server holds no MedicationStatement and refuses it in {@code _type}: the screen completes, says the
   * export did not include it (the rules that read medications are unknown, as for a server that cannot search it)
   * and exits 3; any other type missing, or any other exit, fails the scenario.
   */
  private static void assertScreenedWithoutMedicationStatement(Run run) {
    assertThat(run.exit()).as(run.describe()).isEqualTo(3);
    assertThat(run.err()).as(run.describe()).contains("did not include MedicationStatement");
    for (String type : List.of("Patient", "Condition", "Observation", "MedicationRequest", "AllergyIntolerance")) {
      assertThat(run.err()).as(run.describe()).doesNotContain("did not include " + type);
    }
  }

  private static java.util.Set<String> patientsOf(List<String> lines) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String line : lines) {
      int at = line.indexOf("\"patient\":\"") + 11;
      ids.add(line.substring(at, line.indexOf('"', at)));
    }
    return ids;
  }
}
