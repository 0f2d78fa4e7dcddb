package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The Bulk Data client against a real HTTP server that checks the protocol and plays the faults of real servers
 * ({@link ScriptedBulkServer}); time is a {@link FakeTime}, so the waits the protocol asks for are kept (and measured)
 * without the test waiting them.
 */
class BulkExportClientTest {

  private static final String PATIENTS = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n"
      + "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n";
  private static final String CONDITIONS = "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":"
      + "\"Patient/p1\"},\"code\":{\"text\":\"complex regional pain syndrome\"}}\n".repeat(50);
  private static final String OBSERVATIONS = "{\"resourceType\":\"Observation\",\"id\":\"o1\"}";

  @TempDir
  Path out;

  private final FakeTime time = new FakeTime(Instant.parse("2026-06-01T10:00:00Z"));
  private final StringWriter stderr = new StringWriter();
  private ScriptedBulkServer server;
  private JWK key;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedBulkServer(time);
    key = BackendKey.generate("ES384");
    server.clientKey = key.toPublicJWK();
    server.requireToken = true;
    server.file("Patient", PATIENTS).file("Condition", CONDITIONS).file("Observation", OBSERVATIONS);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void systemExportWithATokenDownloadsEveryFileOwnerOnlyAndDeletesTheJob() throws Exception {
    server.status("202", "202:2", "202");

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.outputs()).extracting(f -> f.path().getFileName().toString())
        .containsExactly("001.Patient.ndjson", "002.Condition.ndjson", "003.Observation.ndjson");
    assertThat(Files.readString(out.resolve("export/002.Condition.ndjson"))).isEqualTo(CONDITIONS);
    assertThat(permissions(out.resolve("export"))).isEqualTo("rwx------");
    assertThat(permissions(out.resolve("export/001.Patient.ndjson"))).isEqualTo("rw-------");
    assertThat(permissions(out.resolve("export/bulk-export.state"))).isEqualTo("rw-------");
    assertThat(Files.list(out.resolve("export")).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.endsWith(".part"));

    ScriptedBulkServer.Seen kickOff = server.seen("GET", "$export").get(0);
    assertThat(kickOff.accept()).isEqualTo("application/fhir+json");
    assertThat(URI.create("http://x/?" + kickOff.query()).getQuery())
        .contains("_type=Patient,Condition,Observation,MedicationRequest,MedicationStatement,AllergyIntolerance,"
            + "Medication")
        .contains("_typeFilter=Observation?code=http://loinc.org|").contains("&date=ge2025-05-31");
    assertThat(server.seen("GET", "/files/")).allSatisfy(s -> {
      assertThat(s.authorization()).startsWith("Bearer ");
      assertThat(s.accept()).isEqualTo("application/fhir+ndjson");
    });
    assertThat(server.seen("DELETE", "/status/job-1")).hasSize(1);
    assertThat(server.unauthorized()).isZero();
    assertThat(stderr.toString()).doesNotContain("Bearer").doesNotContain("p1").contains("downloaded 3/3");
  }

  @Test
  void groupExportAsksAtTheGroupWithMedicationAndNoTokenGoesToPresignedFiles() throws Exception {
    server.requiresAccessToken = false;

    client(tokens()).export(request(ExportLevel.GROUP, "pain-clinic"), out.resolve("export"));

    ScriptedBulkServer.Seen kickOff = server.seen("GET", "$export").get(0);
    assertThat(kickOff.path()).isEqualTo("/fhir/Group/pain-clinic/$export");
    // review #22 finding 3: Medication at every level, so a medicationReference resolves
    assertThat(URI.create("http://x/?" + kickOff.query()).getQuery()).contains(",Medication&");
    assertThat(server.seen("GET", "/files/")).hasSize(3).allSatisfy(s -> assertThat(s.authorization()).isNull());
  }

  @Test
  void withoutAClientNoAuthorizationHeaderIsSent() throws Exception {
    server.requireToken = false;

    client(AccessTokens.none()).export(request(ExportLevel.PATIENT, null), out.resolve("export"));

    assertThat(server.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.authorization()).isNull());
    assertThat(server.seen("GET", "$export").get(0).path()).isEqualTo("/fhir/Patient/$export");
    assertThat(server.tokensIssued()).isZero();
  }

  @Test
  void pollingWaitsOutA429WithAnEpochRetryAfterAndA503() throws Exception {
    server.status("202", "429-epoch:40", "503:7", "202:5");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    List<Instant> polls = server.seen("GET", "/status/").stream().map(ScriptedBulkServer.Seen::at).toList();
    assertThat(polls).hasSize(5);
    assertThat(Duration.between(polls.get(1), polls.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(40));
    assertThat(Duration.between(polls.get(2), polls.get(3))).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    assertThat(Duration.between(polls.get(3), polls.get(4))).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(Duration.between(polls.get(0), polls.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(out.resolve("export/003.Observation.ndjson")).exists();
  }

  /** Bulk Data 2.0: a polling failure coded {@code transient} does not end the job; the client asks again. */
  @Test
  void aStatus500CodedTransientIsAskedAgainAndAPlain500EndsTheExport() throws Exception {
    server.status("202", "500-transient", "202");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.seen("GET", "/status/")).hasSize(4);
    assertThat(out.resolve("export/003.Observation.ndjson")).exists();

    server.status("500");
    assertThatThrownBy(() -> client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("other")))
        .isInstanceOf(BulkException.class).hasMessageContaining("HTTP 500").hasMessageContaining("the export failed");
  }

  @Test
  void aDownloadCutHalfwayIsTriedAgainAndCompletes() throws Exception {
    server.cutOnce("Condition");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.seen("GET", "/files/Condition")).hasSize(2);
    assertThat(server.seen("GET", "/files/Patient")).hasSize(1);
    assertThat(Files.readString(out.resolve("export/002.Condition.ndjson"))).isEqualTo(CONDITIONS);
    assertThat(stderr.toString()).contains("1 download(s) broke off and were tried again");
  }

  @Test
  void aFileThatEndsInsideALineIsTriedAgainThoughTheResponseLookedComplete() throws Exception {
    server.endMidLineOnce("Condition");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.seen("GET", "/files/Condition")).hasSize(2);
    assertThat(Files.readString(out.resolve("export/002.Condition.ndjson"))).isEqualTo(CONDITIONS);
  }

  @Test
  void aTokenExpiringDuringALongExportIsRenewedBeforeItLapses() throws Exception {
    server.tokenLifetimeSeconds = 20;
    server.status("202:15", "202:15", "202:15", "202:15");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.tokensIssued()).isGreaterThanOrEqualTo(4);
    assertThat(server.unauthorized()).isZero();
  }

  @Test
  void aTokenRevokedMidExportGetsA401AndANewToken() throws Exception {
    server.status("202", "202", "202");
    server.revokeTokensAtStatusRequest = 3;

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.unauthorized()).isEqualTo(1);
    assertThat(server.tokensIssued()).isEqualTo(2);
    assertThat(out.resolve("export/001.Patient.ndjson")).exists();
  }

  @Test
  void aRefusedTypeFilterIsDroppedAndSaidSo() throws Exception {
    server.refuseTypeFilter = true;

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    List<ScriptedBulkServer.Seen> kickOffs = server.seen("GET", "$export");
    assertThat(kickOffs).hasSize(2);
    assertThat(kickOffs.get(1).query()).contains("_type=").doesNotContain("_typeFilter");
    assertThat(stderr.toString()).contains("the server refused _typeFilter (HTTP 400: The \"_typeFilter\" parameter "
        + "is not supported); asking again without it");
  }

  @Test
  void anExportATypeFilterEndedEarlyIsDoneAgainWithoutIt() throws Exception {
    server.typeFilterEndsExportAtObservation = true;
    server.file("AllergyIntolerance", "{\"resourceType\":\"AllergyIntolerance\",\"id\":\"a1\"}\n");

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.outputs()).extracting(ExportResult.File::type)
        .containsExactlyInAnyOrder("Patient", "Condition", "Observation", "AllergyIntolerance");
    List<ScriptedBulkServer.Seen> kickOffs = server.seen("GET", "$export");
    assertThat(kickOffs).hasSize(2);
    assertThat(kickOffs.get(1).query()).doesNotContain("_typeFilter");
    assertThat(server.seen("DELETE", "/status/job-1")).hasSize(1);
    assertThat(server.seen("GET", "/status/job-1")).hasSize(2);
    assertThat(stderr.toString()).contains("the export holds no Patient file, though it holds 2 other file(s): the "
        + "server's _typeFilter seems to have ended it early; exporting again without _typeFilter");
  }

  @Test
  void aManifestAnsweredBeforeItListedPatientIsAskedForOnceMore() throws Exception {
    server.firstManifestWithoutPatient = true;

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.outputs()).extracting(ExportResult.File::type).contains("Patient");
    assertThat(server.seen("GET", "$export")).hasSize(1);
    assertThat(server.seen("GET", "/status/job-1")).hasSize(2);
    assertThat(stderr.toString()).doesNotContain("no Patient file");
  }

  @Test
  void aTypeTheServerDoesNotHoldIsDroppedKeepingTheFilter() throws Exception {
    server.refuseType = "MedicationStatement";

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    List<ScriptedBulkServer.Seen> kickOffs = server.seen("GET", "$export");
    assertThat(kickOffs).hasSize(2);
    assertThat(URI.create("http://x/?" + kickOffs.get(1).query()).getQuery()).doesNotContain("MedicationStatement")
        .contains("_typeFilter=Observation?code=");
    assertThat(stderr.toString()).contains("the server refused MedicationStatement in _type (HTTP 400: The requested "
        + "resource type \"MedicationStatement\" is not available on this server); asking again without it");
  }

  @Test
  void aRuleTypeTheServerRefusedIsReportedAsNotExportedAlsoWhenTheFinishedExportIsReused() throws Exception {
    server.refuseType = "Condition";

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.typesNotExported()).containsExactly("Condition");
    assertThat(stderr.toString()).contains("warning: the export does not include Condition (the server refused it)");
    int requests = server.seen().size();
    ExportResult again = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    assertThat(server.seen()).hasSize(requests);
    assertThat(again.typesNotExported()).containsExactly("Condition");
  }

  @Test
  void aRefusedMedicationIsNoMissingRuleType() throws Exception {
    server.refuseType = "Medication";

    ExportResult result = client(tokens()).export(request(ExportLevel.GROUP, "pain-clinic"), out.resolve("export"));

    assertThat(server.seen("GET", "$export")).hasSize(2);
    assertThat(result.typesNotExported()).isEmpty();
  }

  @Test
  void aScopeTheServerNarrowedMakesItsTypesNotExported() throws Exception {
    server.grantedScope = RulesExport.defaultScope().replace("system/Observation.rs ", "");

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.typesNotExported()).containsExactly("Observation");
    assertThat(stderr.toString()).contains("the token's scope does not allow reading Observation")
        .contains("warning: the export does not include Observation (the token's scope does not allow reading it)");
  }

  @Test
  void aDifferentRequestStartsANewExportIntoTheSameFolderAndTheTransactionTimeIsShown() throws Exception {
    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    assertThat(stderr.toString()).contains("the export holds the server's data as of 2026-06-01T");

    ExportRequest later = new ExportRequest(URI.create(server.base()), ExportLevel.SYSTEM, null,
        RulesExport.types(ExportLevel.SYSTEM), RulesExport.observationFilter(ValueSetTerminology.loadDefault(),
            RuleSettings.defaults(), LocalDate.of(2026, 7, 1)));
    ExportResult result = client(tokens()).export(later, out.resolve("export"));

    assertThat(server.seen("GET", "$export")).hasSize(2);
    assertThat(result.downloaded()).isEqualTo(3);
    assertThat(result.kept()).isZero();
    assertThat(stderr.toString()).contains("holds an export asked with a different request")
        .contains("starting a new export into it, which replaces its files");
  }

  @Test
  void aRefusedKickOffShowsTheServersOperationOutcome() {
    server.refuseEverything = "Group/secret-42 is not available for export";

    assertThatThrownBy(() -> client(tokens()).export(request(ExportLevel.GROUP, "secret-42"), out.resolve("export")))
        .isInstanceOf(BulkException.class)
        .hasMessageContaining("the server refused the export")
        .hasMessageContaining("(HTTP 400): Group/… is not available for export");
    assertThat(server.seen("GET", "$export")).hasSize(3);
    assertThat(stderr.toString()).contains("refused _typeFilter").contains("refused _type (HTTP 400");
  }

  @Test
  void theServersErrorFilesAreDownloadedAndReportedWithoutPatientIds() throws Exception {
    server.errorFile = ScriptedBulkServer.outcome("Patient/p123 could not be exported: consent withheld") + "\n"
        + ScriptedBulkServer.outcome("Patient/p456 could not be exported: consent withheld") + "\n";

    ExportResult result = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(result.errorIssues()).isEqualTo(2);
    assertThat(result.errorTexts()).containsExactly("Patient/… could not be exported: consent withheld");
    assertThat(out.resolve("export/errors/001.OperationOutcome.ndjson")).exists();
    assertThat(stderr.toString()).contains("reported 2 problem(s) in 1 error file(s)")
        .doesNotContain("p123").doesNotContain("p456");
    // review #22 finding 12: stderr has counts by severity and code only; the texts stay in the error files
    assertThat(stderr.toString()).contains("  2 × error processing").contains("their texts are there, not here")
        .doesNotContain("consent withheld");
  }

  @Test
  void anInterruptedScreenResumesAndDownloadsNothingTwice() throws Exception {
    server.failing("Condition");
    assertThatThrownBy(() -> client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export")))
        .hasMessageContaining("export file 002.Condition.ndjson (Condition) could not be downloaded in 4 tries");
    assertThat(server.seen("GET", "/files/Patient")).hasSize(1);
    assertThat(server.seen("GET", "/files/Observation")).isEmpty();
    int statusPolls = server.seen("GET", "/status/").size();

    server.heal();
    ExportResult resumed = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(resumed.kept()).isEqualTo(1);
    assertThat(resumed.downloaded()).isEqualTo(2);
    assertThat(server.seen("GET", "$export")).hasSize(1);
    assertThat(server.seen("GET", "/status/")).hasSize(statusPolls);
    assertThat(server.seen("GET", "/files/Patient")).hasSize(1);
    assertThat(server.seen("GET", "/files/Observation")).hasSize(1);
    assertThat(server.seen("DELETE", "/status/")).hasSize(1);

    int requests = server.seen().size();
    ExportResult again = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    assertThat(again.downloaded()).isZero();
    assertThat(again.kept()).isEqualTo(3);
    assertThat(server.seen()).hasSize(requests);
    assertThat(stderr.toString()).contains("is complete (3 files, verified): nothing to download");
  }

  @Test
  void aFileAlteredOnDiskIsDownloadedAgain() throws Exception {
    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    Files.writeString(out.resolve("export/001.Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"xx\"}\n");

    ExportResult again = client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(again.downloaded()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("export/001.Patient.ndjson"))).isEqualTo(PATIENTS);
    assertThat(server.seen("GET", "/files/Patient")).hasSize(2);
    assertThat(server.seen("GET", "/files/Condition")).hasSize(1);
  }

  @Test
  void anExportInterruptedWhilePollingResumesTheSameJob() throws Exception {
    server.status("202:120", "202:120", "202");
    BulkExportClient impatient = new BulkExportClient(BulkHttp.newClient(), tokens(), new PrintWriter(stderr, true),
        false, Duration.ofMinutes(1), time, time);
    assertThatThrownBy(() -> impatient.export(request(ExportLevel.SYSTEM, null), out.resolve("export")))
        .hasMessageContaining("did not finish within the --export-timeout of 1 min")
        .hasMessageContaining("resumes it");

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.seen("GET", "$export")).hasSize(1);
    assertThat(server.seen("GET", "/status/job-1")).hasSize(4);
    assertThat(stderr.toString()).contains("resuming the export job started earlier");
  }

  @Test
  void aJobTheServerForgotIsStartedAgain() throws Exception {
    server.status("202:120");
    BulkExportClient impatient = new BulkExportClient(BulkHttp.newClient(), tokens(), new PrintWriter(stderr, true),
        false, Duration.ofMinutes(1), time, time);
    assertThatThrownBy(() -> impatient.export(request(ExportLevel.SYSTEM, null), out.resolve("export")));
    server.forgetJobs();

    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));

    assertThat(server.seen("GET", "$export")).hasSize(2);
    assertThat(server.seen("DELETE", "/status/job-2")).hasSize(1);
    assertThat(stderr.toString()).contains("the export job is gone on the server (HTTP 404); starting a new export");
  }

  @Test
  void anotherServerInTheSameFolderIsRefused() throws Exception {
    client(tokens()).export(request(ExportLevel.SYSTEM, null), out.resolve("export"));
    assertThatThrownBy(() -> client(tokens()).export(request(ExportLevel.GROUP, "g1"), out.resolve("export")))
        .hasMessageContaining("holds an export from " + server.base() + "/$export");
  }

  private BulkExportClient client(AccessTokens tokens) {
    return new BulkExportClient(BulkHttp.newClient(), tokens, new PrintWriter(stderr, true), false,
        Duration.ofMinutes(60), time, time);
  }

  private AccessTokens tokens() throws Exception {
    Path file = out.resolve("key.json");
    if (!Files.exists(file)) {
      Files.writeString(file, key.toJSONString());
    }
    return BackendServicesTokens.discover(BulkHttp.newClient(), URI.create(server.base()), server.clientId,
        BackendKey.load(file, null), null, stderr::append, time);
  }

  private ExportRequest request(ExportLevel level, String group) {
    return new ExportRequest(URI.create(server.base()), level, group, RulesExport.types(level),
        RulesExport.observationFilter(ValueSetTerminology.loadDefault(), RuleSettings.defaults(),
            LocalDate.of(2026, 6, 1)));
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
