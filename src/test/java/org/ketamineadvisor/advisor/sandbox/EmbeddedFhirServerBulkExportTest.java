package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded HAPI server's Bulk Data export (HAPI 8.8's {@code BulkDataExportProvider} on Batch2), over real
 * HTTP as a Bulk Data client meets it: kick-off, status polling, the manifest, the NDJSON files as Binary downloads,
 * and the job's deletion. A server of its own, so that the system-level counts are exactly what this test loaded.
 */
class EmbeddedFhirServerBulkExportTest {

  private static final Path SYNTHEA = Path.of("src/test/resources/synthea");
  private static final Path WILBURN = SYNTHEA.resolve("adult-Wilburn655_Lesch175_67a50ce6-5a05-04ad-f8e3-2280d3bab3ce.json");
  private static final Path MONTY = SYNTHEA.resolve(
      "hypertension-Monty345_Kassulke119_23334465-085c-6838-3a00-1ab6775085ba.json");
  private static final Path CRPS = Path.of("launch/sandbox/crps-suitable.json");

  private static final List<String> TYPES = List.of("Patient", "Condition", "Observation", "MedicationRequest");
  /** LOINC 8302-2, body height: one of the Observation codes of every Synthea record. */
  private static final String BODY_HEIGHT = "http://loinc.org|8302-2";
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);

  private static EmbeddedFhirServer server;
  private static String groupId;
  private final BulkExportCalls bulk = new BulkExportCalls();

  @BeforeAll
  static void loadThreePatientsAndAGroupOfTwo() {
    server = EmbeddedFhirServer.start(0);
    server.load(WILBURN);
    server.load(MONTY);
    server.load(CRPS);
    Group group = new Group().setType(Group.GroupType.PERSON).setActual(true).setName("Two Synthea patients");
    group.addMember().setEntity(new Reference("Patient/" + patientId(WILBURN)));
    group.addMember().setEntity(new Reference("Patient/" + patientId(MONTY)));
    groupId = server.client().create().resource(group).execute().getId().getIdPart();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aSystemExportHoldsEveryResourceOfTheAskedTypesAsNdjsonBinaries() {
    HttpResponse<String> kickOff = bulk.kickOff(server.baseUrl() + "/$export?_type=" + String.join(",", TYPES));
    String statusUrl = BulkExportCalls.statusUrl(kickOff);
    assertThat(statusUrl).startsWith(server.baseUrl() + "/$export-poll-status?_jobId=");

    HttpResponse<String> running = bulk.poll(statusUrl);
    if (running.statusCode() == 202) {
      // HAPI says 120 s; the sandbox shortens it so that a client honouring it is not held for minutes
      assertThat(running.headers().firstValue("Retry-After")).contains(
          Integer.toString(EmbeddedFhirServer.BULK_STATUS_RETRY_AFTER_SECONDS));
      assertThat(running.headers().firstValue("X-Progress")).isPresent();
    }
    JsonNode manifest = bulk.awaitManifest(statusUrl, EXPORT_TIMEOUT);

    assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
    assertThat(manifest.path("transactionTime").asText()).isNotBlank();
    assertThat(manifest.path("request").asText()).contains("$export");
    assertThat(manifest.path("output")).allSatisfy(output ->
        assertThat(output.path("url").asText()).startsWith(server.baseUrl() + "/Binary/"));
    assertThat(bulk.linesPerType(manifest)).isEqualTo(expectedCounts(List.of(WILBURN, MONTY, CRPS)));
  }

  @Test
  void aGroupExportHoldsOnlyTheGroupsPatientsAndTheirResources() {
    JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(server.baseUrl() + "/Group/"
        + groupId + "/$export?_type=" + String.join(",", TYPES))), EXPORT_TIMEOUT);

    assertThat(bulk.linesPerType(manifest)).isEqualTo(expectedCounts(List.of(WILBURN, MONTY)));
  }

  @Test
  void aPatientLevelExportHoldsEveryPatientsResources() {
    JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(server.baseUrl()
        + "/Patient/$export?_type=Patient,Condition")), EXPORT_TIMEOUT);

    Map<String, Integer> expected = new HashMap<>(expectedCounts(List.of(WILBURN, MONTY, CRPS)));
    expected.keySet().retainAll(Set.of("Patient", "Condition"));
    assertThat(bulk.linesPerType(manifest)).isEqualTo(expected);
  }

  /** HAPI 8.8 honours {@code _typeFilter}: a search URL per type, applied when it fetches the resources. */
  @Test
  void aTypeFilterLimitsTheObservationsToTheCodeAsked() {
    String filter = URLEncoder.encode("Observation?code=" + BODY_HEIGHT, StandardCharsets.UTF_8);
    JsonNode manifest = bulk.awaitManifest(BulkExportCalls.statusUrl(bulk.kickOff(server.baseUrl()
        + "/Group/" + groupId + "/$export?_type=Patient,Observation&_typeFilter=" + filter)), EXPORT_TIMEOUT);

    assertThat(bulk.linesPerType(manifest)).containsEntry("Patient", 2)
        .containsEntry("Observation", observationsCoded("8302-2", List.of(WILBURN, MONTY)));
  }

  /** HAPI cancels a running job (202) but answers 404 for one that has completed: a client must accept both. */
  @Test
  void deletingARunningJobCancelsIt() {
    // every type: enough work that the job is still running when the DELETE arrives
    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(server.baseUrl() + "/$export"));

    HttpResponse<String> deleted = bulk.delete(statusUrl);

    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(deleted.body()).contains("OperationOutcome");
  }

  @Test
  void deletingACompletedJobIsANotFound() {
    String statusUrl = BulkExportCalls.statusUrl(bulk.kickOff(server.baseUrl() + "/$export?_type=Patient"));
    bulk.awaitManifest(statusUrl, EXPORT_TIMEOUT);

    HttpResponse<String> deleted = bulk.delete(statusUrl);

    assertThat(deleted.statusCode()).isEqualTo(404);
    assertThat(deleted.body()).contains("OperationOutcome").contains("already cancelled or has completed");
  }

  @Test
  void aKickOffWithoutPreferRespondAsyncIsRefusedWithAnOperationOutcome() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + "/$export?_type=Patient"))
        .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("OperationOutcome").contains("Must request async processing for $export");
  }

  private static String patientId(Path bundle) {
    for (JsonNode entry : readJson(bundle).path("entry")) {
      if (entry.path("resource").path("resourceType").asText().equals("Patient")) {
        return entry.path("resource").path("id").asText();
      }
    }
    throw new AssertionError("no Patient in " + bundle);
  }

  /** Resources per type in the fixture files, each id counted once. */
  private static Map<String, Integer> expectedCounts(List<Path> bundles) {
    Map<String, Set<String>> ids = new HashMap<>();
    for (Path bundle : bundles) {
      for (JsonNode entry : readJson(bundle).path("entry")) {
        JsonNode resource = entry.path("resource");
        String type = resource.path("resourceType").asText();
        if (TYPES.contains(type)) {
          ids.computeIfAbsent(type, t -> new HashSet<>()).add(resource.path("id").asText());
        }
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    ids.forEach((type, set) -> counts.put(type, set.size()));
    return counts;
  }

  private static int observationsCoded(String loinc, List<Path> bundles) {
    int count = 0;
    for (Path bundle : bundles) {
      for (JsonNode entry : readJson(bundle).path("entry")) {
        JsonNode resource = entry.path("resource");
        if (resource.path("resourceType").asText().equals("Observation")) {
          for (JsonNode coding : resource.path("code").path("coding")) {
            if (coding.path("code").asText().equals(loinc)) {
              count++;
              break;
            }
          }
        }
      }
    }
    return count;
  }

  private static JsonNode readJson(Path file) {
    try {
      return BulkExportCalls.parse(Files.readString(file));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
