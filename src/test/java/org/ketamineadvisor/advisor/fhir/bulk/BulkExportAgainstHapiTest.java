package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
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
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The client against a real Bulk Data server: the embedded HAPI JPA server with its export enabled (HAPI 8.8,
 * Batch2), no authorization. System and Group exports with the rules' {@code _type} and {@code _typeFilter},
 * a refused kick-off, and a resume that downloads only the file that went missing.
 */
class BulkExportAgainstHapiTest {

  private static final Path SYNTHEA = Path.of("src/test/resources/synthea");
  private static final Path WILBURN = SYNTHEA.resolve(
      "adult-Wilburn655_Lesch175_67a50ce6-5a05-04ad-f8e3-2280d3bab3ce.json");
  private static final Path MONTY = SYNTHEA.resolve(
      "hypertension-Monty345_Kassulke119_23334465-085c-6838-3a00-1ab6775085ba.json");
  private static final Path CRPS = Path.of("launch/sandbox/crps-suitable.json");
  /** Synthea's records end on 2025-01-01. */
  private static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ValueSetTerminology TERMINOLOGY = ValueSetTerminology.loadDefault();

  private static EmbeddedFhirServer server;
  private static String groupId;

  @TempDir
  Path out;

  private final StringWriter stderr = new StringWriter();

  @BeforeAll
  static void loadThreePatientsAndAGroupOfTwo() throws Exception {
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
  void aSystemExportDownloadsWhatTheRulesReadAndOnlyTheirObservations() throws Exception {
    ExportResult result = client().export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    Map<String, Integer> lines = linesPerType(result);
    Map<String, Integer> fixtures = countsInFixtures(List.of(WILBURN, MONTY, CRPS));
    assertThat(lines).containsEntry("Patient", 3).containsEntry("Condition", fixtures.get("Condition"))
        .containsEntry("MedicationRequest", fixtures.get("MedicationRequest"));
    Set<String> codes = new HashSet<>(TERMINOLOGY.codes(ValueSetId.OBSERVATION_CODES, "http://loinc.org"));
    codes.addAll(TERMINOLOGY.codes(ValueSetId.HCG_TESTS, "http://loinc.org"));
    List<JsonNode> observations = resources(result, "Observation");
    assertThat(observations).isNotEmpty().hasSizeLessThan(fixtures.get("Observation"));
    assertThat(observations).allSatisfy(o -> assertThat(o.path("code").path("coding").findValuesAsText("code"))
        .anyMatch(codes::contains));
    assertThat(stderr.toString()).doesNotContain("refused").contains("downloaded");
    assertThat(ExportState.read(out.resolve("export")).orElseThrow().finished()).isTrue();
  }

  @Test
  void aGroupExportHoldsOnlyItsMembers() throws Exception {
    ExportResult result = client().export(request(ExportLevel.GROUP, groupId), out.resolve("export"));

    Map<String, Integer> lines = linesPerType(result);
    assertThat(lines).containsEntry("Patient", 2)
        .containsEntry("Condition", countsInFixtures(List.of(WILBURN, MONTY)).get("Condition"));
    assertThat(result.outputs()).noneMatch(f -> f.type().equals("Medication"));
  }

  @Test
  void aKickOffTheServerRefusesShowsItsOperationOutcome() {
    assertThatThrownBy(() -> client().export(request(ExportLevel.GROUP, "no-such-group"), out.resolve("export")))
        .isInstanceOf(BulkException.class)
        .hasMessageContaining("the server refused the export at " + server.baseUrl() + "/Group/no-such-group/$export")
        .hasMessageContaining("(HTTP 404)");
    assertThat(stderr.toString()).contains("refused _typeFilter").contains("refused _type");
  }

  @Test
  void aResumedExportDownloadsOnlyTheFileThatWentMissing() throws Exception {
    ExportResult first = client().export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    Path removed = first.outputs().get(1).path();
    String content = Files.readString(removed);
    Files.delete(removed);

    ExportResult again = client().export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(again.downloaded()).isEqualTo(1);
    assertThat(again.kept()).isEqualTo(first.outputs().size() - 1);
    assertThat(Files.readString(removed)).isEqualTo(content);
  }

  private BulkExportClient client() {
    return new BulkExportClient(BulkHttp.newClient(), AccessTokens.none(), new PrintWriter(stderr, true), false,
        Duration.ofMinutes(2), Clock.systemUTC(), Sleeper.system());
  }

  private static ExportRequest request(ExportLevel level, String group) {
    return new ExportRequest(URI.create(server.baseUrl()), level, group, RulesExport.types(level),
        RulesExport.observationFilter(TERMINOLOGY, RuleSettings.defaults(), AS_OF));
  }

  private static Map<String, Integer> linesPerType(ExportResult result) throws Exception {
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

  private static List<JsonNode> resources(ExportResult result, String type) throws Exception {
    List<JsonNode> found = new java.util.ArrayList<>();
    for (ExportResult.File file : result.outputs()) {
      if (file.type().equals(type)) {
        for (String line : Files.readAllLines(file.path())) {
          if (!line.isBlank()) {
            found.add(JSON.readTree(line));
          }
        }
      }
    }
    return found;
  }

  private static Map<String, Integer> countsInFixtures(List<Path> bundles) throws Exception {
    Map<String, Set<String>> ids = new HashMap<>();
    for (Path bundle : bundles) {
      for (JsonNode entry : JSON.readTree(bundle.toFile()).path("entry")) {
        JsonNode resource = entry.path("resource");
        ids.computeIfAbsent(resource.path("resourceType").asText(), t -> new HashSet<>())
            .add(resource.path("id").asText());
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    ids.forEach((type, set) -> counts.put(type, set.size()));
    return counts;
  }

  private static String patientId(Path bundle) throws Exception {
    for (JsonNode entry : JSON.readTree(bundle.toFile()).path("entry")) {
      if (entry.path("resource").path("resourceType").asText().equals("Patient")) {
        return entry.path("resource").path("id").asText();
      }
    }
    throw new AssertionError("no Patient in " + bundle);
  }
}
