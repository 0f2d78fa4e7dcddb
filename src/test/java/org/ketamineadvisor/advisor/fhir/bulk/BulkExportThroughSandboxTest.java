package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.sandbox.BackendClient;
import org.ketamineadvisor.advisor.sandbox.FaultProxy;
import org.ketamineadvisor.advisor.sandbox.FaultProxy.Fault;
import org.ketamineadvisor.advisor.sandbox.FaultProxy.Kind;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * End to end: the client against the sandbox's embedded HAPI server with Bulk Data export behind SMART Backend
 * Services (the sandbox's authorization server checks the assertion; the FHIR server wants a {@code system/} token
 * on every call, file downloads included), through {@link FaultProxy}, which counts every request and plays the
 * faults of real servers.
 */
class BulkExportThroughSandboxTest {

  private static final ValueSetTerminology TERMINOLOGY = ValueSetTerminology.loadDefault();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path keys;

  @TempDir
  Path out;

  private static SandboxEhr sandbox;
  private static BackendClient client;
  private FaultProxy proxy;
  private final StringWriter stderr = new StringWriter();

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults());
    client = BackendClient.register(sandbox, keys, Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.inFrontOf(sandbox.fhirBaseUrl());
    sandbox.acceptTokenEndpointAt(proxy.origin());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void aGroupAndASystemExportWithATokenDownloadEveryFileOnce() throws Exception {
    ExportResult group = export(client, ExportLevel.GROUP, SandboxEhr.SHOWCASE_GROUP, "group");

    assertThat(lines(group)).containsEntry("Patient", sandbox.patientIds().size()).containsKey("Condition");
    // HAPI refuses Medication in a Group export (not in the Patient compartment): asked again without it, once
    assertThat(proxy.counts()).containsEntry(Kind.TOKEN, 1).containsEntry(Kind.KICK_OFF, 2)
        .containsEntry(Kind.DOWNLOAD, group.outputs().size()).containsEntry(Kind.DELETE, 1);
    assertThat(stderr.toString()).contains("refused Medication").doesNotContain("refused Patient")
        .doesNotContain("refused Condition").doesNotContain("refused Observation");
    assertThat(group.typesNotExported()).isEmpty();

    ExportResult system = export(client, ExportLevel.SYSTEM, null, "system");
    assertThat(lines(system).get("Patient")).isGreaterThanOrEqualTo(sandbox.patientIds().size());
  }

  @Test
  void pollingWaitsOutA429WithAnEpochRetryAfterAndA503AndADownloadCutHalfwayCompletes() throws Exception {
    proxy.on(Kind.STATUS, 1, Fault.tooManyRequests(Duration.ofSeconds(3)))
        .on(Kind.STATUS, 2, Fault.unavailable(2))
        .on(Kind.DOWNLOAD, 1, Fault.cutHalfway());
    long started = System.nanoTime();

    ExportResult result = export(client, ExportLevel.GROUP, SandboxEhr.SHOWCASE_GROUP, "export");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    assertThat(lines(result)).containsEntry("Patient", sandbox.patientIds().size());
    assertThat(proxy.count(Kind.STATUS)).isGreaterThanOrEqualTo(3);
    assertThat(proxy.count(Kind.DOWNLOAD)).isEqualTo(result.outputs().size() + 1);
    assertThat(stderr.toString()).contains("1 download(s) broke off and were tried again");
  }

  @Test
  void aTokenExpiringMidExportIsRenewedAndTheExportCompletes() throws Exception {
    proxy.on(Kind.STATUS, 1, Fault.unavailable(1)).on(Kind.STATUS, 2, Fault.expireToken());

    ExportResult result = export(client, ExportLevel.GROUP, SandboxEhr.SHOWCASE_GROUP, "export");

    assertThat(lines(result)).containsEntry("Patient", sandbox.patientIds().size());
    assertThat(proxy.count(Kind.TOKEN)).isEqualTo(2);
  }

  @Test
  void aShortTokenLifetimeIsRenewedBeforeItLapses() throws Exception {
    BackendClient shortLived = BackendClient.register(sandbox, keys, Duration.ofSeconds(2));
    proxy.on(Kind.STATUS, 1, Fault.unavailable(3));

    ExportResult result = export(shortLived, ExportLevel.GROUP, SandboxEhr.SHOWCASE_GROUP, "export");

    assertThat(lines(result)).containsEntry("Patient", sandbox.patientIds().size());
    assertThat(proxy.count(Kind.TOKEN)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRefusedKickOffShowsTheServersOperationOutcome() {
    for (int nth = 1; nth <= 3; nth++) {
      proxy.on(Kind.KICK_OFF, nth, Fault.refuse(400, "Bulk export is not enabled for this client"));
    }

    assertThatThrownBy(() -> export(client, ExportLevel.SYSTEM, null, "export"))
        .isInstanceOf(BulkException.class)
        .hasMessageContaining("the server refused the export at " + proxy.baseUrl() + "/$export (HTTP 400): Bulk "
            + "export is not enabled for this client");
    assertThat(proxy.count(Kind.KICK_OFF)).isEqualTo(3);
  }

  @Test
  void anInterruptedExportResumesAndNothingIsDownloadedTwice() throws Exception {
    for (int nth = 2; nth <= 1 + FileDownloader.ATTEMPTS; nth++) {
      proxy.on(Kind.DOWNLOAD, nth, Fault.refuse(500, "storage unavailable"));
    }
    assertThatThrownBy(() -> export(client, ExportLevel.SYSTEM, null, "export"))
        .hasMessageContaining("could not be downloaded in " + FileDownloader.ATTEMPTS + " tries");
    Map<Kind, Integer> afterFirst = proxy.counts();

    ExportResult resumed = export(client, ExportLevel.SYSTEM, null, "export");

    int files = resumed.outputs().size();
    assertThat(resumed.kept()).isEqualTo(1);
    assertThat(resumed.downloaded()).isEqualTo(files - 1);
    assertThat(proxy.count(Kind.KICK_OFF)).isEqualTo(1);
    assertThat(proxy.count(Kind.STATUS)).isEqualTo(afterFirst.get(Kind.STATUS));
    assertThat(proxy.count(Kind.DOWNLOAD)).isEqualTo(afterFirst.get(Kind.DOWNLOAD) + files - 1);
    Map<Kind, Integer> afterSecond = proxy.counts();

    ExportResult again = export(client, ExportLevel.SYSTEM, null, "export");

    assertThat(again.downloaded()).isZero();
    assertThat(proxy.counts()).isEqualTo(afterSecond);
  }

  private ExportResult export(BackendClient backend, ExportLevel level, String group, String folder)
      throws Exception {
    URI base = URI.create(proxy.baseUrl());
    AccessTokens tokens = BackendServicesTokens.discover(BulkHttp.newClient(), base, backend.clientId(),
        BackendKey.load(backend.privateKeyFile(JWSAlgorithm.ES384), null), null, stderr::append,
        Clock.systemUTC());
    BulkExportClient bulk = new BulkExportClient(BulkHttp.newClient(), tokens, new PrintWriter(stderr, true), false,
        Duration.ofMinutes(2), Clock.systemUTC(), Sleeper.system());
    return bulk.export(new ExportRequest(base, level, group, RulesExport.types(level),
        RulesExport.observationFilter(TERMINOLOGY, RuleSettings.defaults(), LocalDate.of(2026, 6, 1))),
        out.resolve(folder));
  }

  private static Map<String, Integer> lines(ExportResult result) throws Exception {
    Map<String, Integer> lines = new HashMap<>();
    for (ExportResult.File file : result.outputs()) {
      for (String line : Files.readAllLines(file.path())) {
        if (!line.isBlank()) {
          lines.merge(JSON.readTree(line).path("resourceType").asText(), 1, Integer::sum);
        }
      }
    }
    return lines;
  }
}
