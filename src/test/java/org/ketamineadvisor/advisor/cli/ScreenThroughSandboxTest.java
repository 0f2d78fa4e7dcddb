package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.sandbox.BackendClient;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;

/**
 * {@code screen --fhir-base} as an integration engineer runs it against an EHR: the sandbox's HAPI JPA server with
 * Bulk Data export behind SMART Backend Services, the showcase Group exported, screened, and with
 * {@code --write-group} the worklist written back as a Group and a MeasureReport. The screen of the download is the
 * screen of the same files on disk, and every candidate's line is the line {@code assess --input} prints for them.
 */
class ScreenThroughSandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path keys;

  @TempDir
  static Path work;

  private static SandboxEhr sandbox;
  private static BackendClient client;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults());
    client = BackendClient.register(sandbox, keys, Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @Test
  void theShowcaseGroupIsScreenedAsAssessReadsItsFilesAndTheWorklistIsWrittenBackAsAGroup() throws Exception {
    Path out = work.resolve("screen");
    Run screen = run("screen", "--fhir-base", sandbox.fhirBaseUrl(), "--group", SandboxEhr.SHOWCASE_GROUP,
        "--client-id", client.clientId(), "--private-key", client.privateKeyFile(JWSAlgorithm.ES384).toString(),
        "--out", out.toString(), "--as-of", "2026-06-01", "--write-group");

    assertThat(screen.status).as(screen.err).isZero();
    assertThat(screen.out).contains("written: Group of");
    List<String> screened = Files.readAllLines(out.resolve("screen.ndjson"));
    assertThat(screened).isNotEmpty();

    // the same files screened from disk give the same lines, and each is assess's line with two fields more
    Path again = work.resolve("again");
    Run fromDisk = run("screen", "--input", out.resolve("export").toString(), "--out", again.toString(),
        "--as-of", "2026-06-01");
    assertThat(Files.readAllLines(again.resolve("screen.ndjson"))).isEqualTo(screened);
    Run assess = run("assess", "--input", out.resolve("export").toString(), "--as-of", "2026-06-01");
    Map<String, String> assessed = new LinkedHashMap<>();
    for (String line : assess.out.split("\n")) {
      if (!line.isBlank()) {
        assessed.put(JSON.readTree(line).path("patient").asText(), line);
      }
    }
    List<String> worklist = new ArrayList<>();
    for (String line : screened) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      String patient = node.path("patient").asText();
      node.remove(List.of("deciding", "missing"));
      assertThat(JSON.writeValueAsString(node)).isEqualTo(assessed.get(patient));
      String verdict = node.path("verdict").asText();
      if (List.of("suitable", "suitable-with-precautions", "needs-information").contains(verdict)) {
        worklist.add(patient);
      }
    }
    assertThat(fromDisk.status).isZero();

    // the Group on the server holds exactly the worklist's patients; the MeasureReport the same screen's counts
    IGenericClient fhir = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    fhir.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(
        client.accessToken(sandbox.tokenEndpoint(), JWSAlgorithm.ES384,
            List.of("system/Group.rs", "system/MeasureReport.rs"))));
    Bundle groups = fhir.search().forResource(Group.class).returnBundle(Bundle.class).execute();
    List<String> members = groups.getEntry().stream().map(e -> (Group) e.getResource())
        .filter(g -> g.getName() != null && g.getName().startsWith("Ketamine infusion candidates"))
        .flatMap(g -> g.getMember().stream()).map(m -> m.getEntity().getReferenceElement().getIdPart()).toList();
    assertThat(members).containsExactlyInAnyOrderElementsOf(worklist);
    Bundle reports = fhir.search().forResource(MeasureReport.class).returnBundle(Bundle.class).execute();
    assertThat(reports.getEntry()).hasSize(1);
    MeasureReport report = (MeasureReport) reports.getEntryFirstRep().getResource();
    JsonNode summary = JSON.readTree(Files.readString(out.resolve("screen.ndjson")).lines().findFirst().orElseThrow());
    assertThat(summary.path("asOf").asText()).isEqualTo("2026-06-01");
    assertThat(report.getGroupFirstRep().getPopulation()).isNotEmpty();

    // the same results written again create nothing new
    Run twice = run("screen", "--fhir-base", sandbox.fhirBaseUrl(), "--group", SandboxEhr.SHOWCASE_GROUP,
        "--client-id", client.clientId(), "--private-key", client.privateKeyFile(JWSAlgorithm.ES384).toString(),
        "--out", out.toString(), "--as-of", "2026-06-01", "--write-group");
    assertThat(twice.status).as(twice.err).isZero();
    assertThat(fhir.search().forResource(MeasureReport.class).returnBundle(Bundle.class).execute().getEntry())
        .hasSize(1);
  }

  @Test
  void writeGroupWithoutAServerIsAUsageError() throws Exception {
    Path out = work.resolve("usage");
    Run run = run("screen", "--input", keys.toString(), "--out", out.toString(), "--write-group");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.err).contains("--write-group").contains("--fhir-base");
    assertThat(out).doesNotExist();
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(args, Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {
  }
}
