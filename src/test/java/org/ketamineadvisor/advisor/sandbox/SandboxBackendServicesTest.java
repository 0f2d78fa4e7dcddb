package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.CandidateGroupBundle;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;
import org.ketamineadvisor.advisor.fhir.writing.ScreeningSummary;
import org.ketamineadvisor.advisor.sandbox.FaultProxy.Kind;

/**
 * SMART Backend Services on the sandbox: a client registered with a public JWK Set gets {@code system/} tokens with
 * a {@code private_key_jwt} assertion (RS384 or ES384), and with them runs a Bulk Data export of the secured FHIR
 * server and writes the screen's Group and MeasureReport; without a token, or with the wrong scopes, it cannot.
 */
class SandboxBackendServicesTest {

  private static final MovableClock CLOCK = new MovableClock();
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SHORT_TTL = Duration.ofSeconds(5);

  @TempDir
  static Path keys;

  private static SandboxEhr sandbox;
  private static BackendClient client;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withClock(CLOCK));
    client = BackendClient.register(sandbox, keys, Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @Test
  void theSmartConfigurationAdvertisesClientCredentialsWithPrivateKeyJwtRs384AndEs384() {
    JsonNode configuration = BulkExportCalls.parse(new SandboxBrowser()
        .get(sandbox.fhirBaseUrl() + "/.well-known/smart-configuration").body());

    assertThat(configuration.path("token_endpoint").asText()).isEqualTo(sandbox.tokenEndpoint());
    assertThat(configuration.path("grant_types_supported").toString()).contains("client_credentials");
    assertThat(configuration.path("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
    assertThat(configuration.path("token_endpoint_auth_signing_alg_values_supported").toString())
        .contains("RS384", "ES384");
    assertThat(configuration.path("scopes_supported").toString()).contains("system/Patient.rs", "system/Group.cu",
        "system/MeasureReport.cu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS384", "ES384"})
  void aClientAssertionSignedWithEitherKeyGetsABearerTokenForTheSystemScopesAsked(String algorithm) {
    HttpResponse<String> response = BackendClient.requestToken(sandbox.tokenEndpoint(),
        client.clientAssertion(JWSAlgorithm.parse(algorithm), sandbox.tokenEndpoint()),
        "system/Patient.rs system/Observation.rs");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode token = BulkExportCalls.parse(response.body());
    assertThat(token.path("token_type").asText()).isEqualToIgnoringCase("Bearer");
    assertThat(token.path("scope").asText().split(" ")).containsExactlyInAnyOrder("system/Patient.rs",
        "system/Observation.rs");
    assertThat(token.path("expires_in").asInt()).isBetween(290, 300);
  }

  @Test
  void theKeyFilesAreOwnerOnlyPrivateJwksNamingTheirAlgorithm() throws Exception {
    for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384)) {
      Path file = client.privateKeyFile(algorithm);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      JsonNode jwk = BulkExportCalls.parse(Files.readString(file));
      assertThat(jwk.path("alg").asText()).isEqualTo(algorithm.getName());
      assertThat(jwk.path("kid").asText()).isNotBlank();
      assertThat(jwk.path("d").asText()).as("the private part").isNotBlank();
    }
  }

  @Test
  void anAssertionUsedTwiceOrSignedWithAnotherKeyIsRefused() {
    String assertion = client.clientAssertion(JWSAlgorithm.ES384, sandbox.tokenEndpoint());
    assertThat(BackendClient.requestToken(sandbox.tokenEndpoint(), assertion, "system/Patient.rs").statusCode())
        .isEqualTo(200);

    HttpResponse<String> replayed = BackendClient.requestToken(sandbox.tokenEndpoint(), assertion, "system/Patient.rs");
    BackendClient stranger = BackendClient.register(sandbox, keys, Duration.ofMinutes(5));
    HttpResponse<String> wrongKey = BackendClient.requestToken(sandbox.tokenEndpoint(),
        stranger.assertionClaimingToBe(client.clientId(), JWSAlgorithm.RS384, sandbox.tokenEndpoint()),
        "system/Patient.rs");

    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("invalid_client");
    assertThat(wrongKey.statusCode()).isEqualTo(401);
  }

  @Test
  void aSystemTokenRunsAGroupExportOfTheShowcasePatientsWhoseFilesNeedTheToken() {
    String token = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, BackendClient.BULK_READ_SCOPES);
    BulkExportCalls bulk = new BulkExportCalls(token);

    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(sandbox.fhirBaseUrl() + "/Group/"
        + SandboxEhr.SHOWCASE_GROUP + "/$export?_type=Patient,Condition"));
    JsonNode manifest = bulk.awaitManifest(statusUrl, EXPORT_TIMEOUT);

    assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
    assertThat(bulk.linesPerType(manifest)).containsEntry("Patient", sandbox.patientIds().size())
        .containsKey("Condition");
    String file = manifest.path("output").get(0).path("url").asText();
    assertThat(new BulkExportCalls().download(file).statusCode()).isEqualTo(401);
    assertThat(bulk.delete(statusUrl).statusCode()).isEqualTo(404); // HAPI: complete, nothing to cancel
  }

  @Test
  void withoutATokenTheKickOffAndTheStatusAre401() {
    String token = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384, BackendClient.BULK_READ_SCOPES);
    String statusUrl = BulkExportCalls.statusUrl(new BulkExportCalls(token).kickOff(sandbox.fhirBaseUrl()
        + "/$export?_type=Patient"));
    BulkExportCalls anonymous = new BulkExportCalls();

    HttpResponse<String> kickOff = anonymous.kickOff(sandbox.fhirBaseUrl() + "/$export?_type=Patient");
    HttpResponse<String> status = anonymous.poll(statusUrl);

    assertThat(kickOff.statusCode()).isEqualTo(401);
    assertThat(kickOff.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(status.statusCode()).isEqualTo(401);
  }

  @Test
  void anExportOfATypeTheTokenMayNotReadIsForbiddenWithAnOperationOutcome() {
    String token = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, List.of("system/Patient.rs"));

    HttpResponse<String> refused = new BulkExportCalls(token).kickOff(sandbox.fhirBaseUrl()
        + "/$export?_type=Patient,Observation");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("OperationOutcome");
  }

  @Test
  void aPatientLevelExportOfTheTypesInScopeRuns() {
    BulkExportCalls bulk = new BulkExportCalls(client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384,
        BackendClient.BULK_READ_SCOPES));

    JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(sandbox.fhirBaseUrl()
        + "/Patient/$export?_type=Patient,MedicationStatement")), EXPORT_TIMEOUT);

    assertThat(bulk.linesPerType(manifest)).containsEntry("Patient", sandbox.patientIds().size());
  }

  /** Without {@code _type} HAPI exports every type it has, so a token scoped to some types must name them. */
  @Test
  void anExportWithoutTypeNeedsATokenThatReadsEverything() {
    String some = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, BackendClient.BULK_READ_SCOPES);
    String all = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, List.of("system/*.rs"));

    assertThat(new BulkExportCalls(some).kickOff(sandbox.fhirBaseUrl() + "/$export").statusCode()).isEqualTo(403);
    HttpResponse<String> accepted = new BulkExportCalls(all).kickOff(sandbox.fhirBaseUrl() + "/$export");
    assertThat(accepted.statusCode()).isEqualTo(202);
    new BulkExportCalls(all).delete(BulkExportCalls.statusUrl(accepted));
  }

  @Test
  void aShortLivedTokenExpiresDuringTheExportAndANewOneCarriesOn() {
    BackendClient shortLived = BackendClient.register(sandbox, keys, SHORT_TTL);
    String first = shortLived.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384, BackendClient.BULK_READ_SCOPES);
    String statusUrl = BulkExportCalls.statusUrl(new BulkExportCalls(first).kickOff(sandbox.fhirBaseUrl()
        + "/$export?_type=Patient"));

    CLOCK.advance(SHORT_TTL.plusSeconds(1));
    try {
      HttpResponse<String> expired = new BulkExportCalls(first).poll(statusUrl);
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
          assertThat(v).contains("invalid_token"));

      String second = shortLived.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384,
          BackendClient.BULK_READ_SCOPES);
      JsonNode manifest = new BulkExportCalls(second).awaitManifest(statusUrl, EXPORT_TIMEOUT);
      assertThat(manifest.path("output")).isNotEmpty();
    } finally {
      CLOCK.advance(SHORT_TTL.plusSeconds(1).negated());
    }
  }

  @Test
  void throughAFaultProxyTheTokenEndpointIsTheProxysAndEveryCallIsCounted() {
    try (FaultProxy proxy = FaultProxy.inFrontOf(sandbox.fhirBaseUrl())) {
      sandbox.acceptTokenEndpointAt(proxy.origin());
      JsonNode configuration = BulkExportCalls.parse(new SandboxBrowser()
          .get(proxy.baseUrl() + "/.well-known/smart-configuration").body());
      String tokenEndpoint = configuration.path("token_endpoint").asText();
      assertThat(tokenEndpoint).isEqualTo(proxy.origin() + "/oauth2/token");

      BulkExportCalls bulk = new BulkExportCalls(client.accessToken(tokenEndpoint, JWSAlgorithm.RS384,
          BackendClient.BULK_READ_SCOPES));
      JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(proxy.baseUrl()
          + "/$export?_type=Patient")), EXPORT_TIMEOUT);
      bulk.linesPerType(manifest);

      assertThat(proxy.counts()).containsEntry(Kind.TOKEN, 1).containsEntry(Kind.KICK_OFF, 1)
          .containsEntry(Kind.DOWNLOAD, manifest.path("output").size());
    }
  }

  @Test
  void theScreensGroupAndMeasureReportAreWrittenInOneTransactionWithWriteScopesOnly() {
    ScreeningSummary summary = new ScreeningSummary(LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF),
        List.of("crps-suitable", "sci-precautions", "needs-information"),
        Map.of("suitable", 1L, "suitable-with-precautions", 1L, "needs-information", 1L, "contraindicated", 4L),
        sandbox.patientIds().size(), "test", Instant.parse("2026-06-01T09:00:00Z"));
    Bundle transaction = CandidateGroupBundle.build(summary);
    String readOnly = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, BackendClient.BULK_READ_SCOPES);
    String noProvenance = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384,
        List.of("system/Group.cu", "system/MeasureReport.cu"));
    String write = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384, BackendClient.WRITE_GROUP_SCOPES);

    WriteResult refused = writer(readOnly).write(transaction);
    WriteResult refusedInPart = writer(noProvenance).write(transaction);
    assertThat(refused.outcome()).isEqualTo(WriteResult.Outcome.NOT_WRITTEN);
    assertThat(refusedInPart.outcome()).isEqualTo(WriteResult.Outcome.NOT_WRITTEN);
    String groupReader = client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.RS384, List.of("system/Group.rs"));
    assertThat(groupsNamed(summary, groupReader)).as("a transaction refused in part writes nothing").isZero();

    WriteResult written = writer(write).write(transaction);

    assertThat(written.outcome()).as(written.failure()).isEqualTo(WriteResult.Outcome.WRITTEN);
    assertThat(written.written()).extracting(WriteResult.Written::resourceType)
        .containsExactly("Group", "MeasureReport", "Provenance");
    assertThat(groupsNamed(summary, groupReader)).isEqualTo(1);
  }

  private static FhirServerWriter writer(String token) {
    return new FhirServerWriter(FhirContext.forR4Cached(), sandbox.fhirBaseUrl(),
        FhirClientSettings.defaults().withBearerToken(token));
  }

  private static int groupsNamed(ScreeningSummary summary, String token) {
    var client = FixtureLoader.FHIR.newRestfulGenericClient(sandbox.fhirBaseUrl());
    client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(token));
    Group written = (Group) CandidateGroupBundle.build(summary).getEntryFirstRep().getResource();
    Bundle found = client.search().forResource(Group.class)
        .where(Group.IDENTIFIER.exactly().systemAndIdentifier(Canonicals.CANDIDATE_GROUP_IDENTIFIER,
            written.getIdentifierFirstRep().getValue()))
        .returnBundle(Bundle.class).execute();
    return found.getEntry().size();
  }
}
