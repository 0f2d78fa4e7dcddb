package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.fhir.bulk.ScriptedBulkServer;

/**
 * {@code backend-key} and {@code screen --fhir-base} as an integration engineer uses them: make a key, register its
 * public half, export with it; and the one-line errors for what is missing or refused.
 */
class ScreenBulkCommandTest {

  @TempDir
  Path dir;

  private ScriptedBulkServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedBulkServer(Clock.systemUTC());
    server.requireToken = true;
    server.file("Patient", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n")
        // a Condition without a subject is an input problem (exit 2): the fixture's has one
        .file("Condition", "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":"
            + "\"Patient/p1\"}}\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aKeyMadeByBackendKeyAndRegisteredDownloadsTheExport() throws Exception {
    Path key = dir.resolve("keys/screening.jwk");
    Run made = run("backend-key", "--alg", "ES384", "--out", key.toString());
    assertThat(made.status()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    JWKSet published = JWKSet.parse(made.out());
    assertThat(published.getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
    JWK privateKey = JWK.parse(Files.readString(key));
    assertThat(privateKey.isPrivate()).isTrue();
    assertThat(published.getKeys().get(0).getKeyID()).isEqualTo(privateKey.getKeyID()).isNotBlank();
    assertThat(made.err()).contains("register the public JWK Set").doesNotContain("\"d\"");
    assertThat(run("backend-key", "--out", key.toString()).err()).contains("already exists");
    Run overwrite = run("backend-key", "--out", key.toString());
    assertThat(overwrite.status()).isEqualTo(2);
    assertThat(JWK.parse(Files.readString(key)).getKeyID()).isEqualTo(privateKey.getKeyID());

    server.clientKey = published.getKeys().get(0);
    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01", "--client-id", server.clientId, "--private-key", key.toString());

    assertThat(screen.status()).as(screen.err()).isZero();
    assertThat(screen.out()).contains("export: 2 file(s)").contains("001.Patient.ndjson\tPatient")
        .contains("002.Condition.ndjson\tCondition");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out"))))
        .isEqualTo("rwx------");
    assertThat(server.issuedTokens()).isNotEmpty()
        .allSatisfy(token -> assertThat(screen.out() + screen.err()).doesNotContain(token));
    assertThat(screen.err()).doesNotContain("p1");

    Run again = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01", "--client-id", server.clientId, "--private-key", key.toString());
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("0 downloaded now, 2 kept");
  }

  @Test
  void aPemKeyWithoutKeyIdIsAClearError() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    Path pem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(),
        "--client-id", "app", "--private-key", pem.toString());

    assertThat(screen.status()).isEqualTo(2);
    assertThat(screen.err()).contains("key.pem: a PEM key carries no key id; give --key-id");
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void optionsThatDoNotGoTogetherAreUsageErrors() {
    Run noKey = run("screen", "--fhir-base", server.base(), "--out", dir.toString(), "--client-id", "app");
    assertThat(noKey.status()).isEqualTo(2);
    assertThat(noKey.err()).contains("--client-id needs --private-key FILE");
    Run level = run("screen", "--fhir-base", server.base(), "--out", dir.toString(), "--group", "g",
        "--export-level", "patient");
    assertThat(level.err()).contains("--group exports a Group; it does not go with --export-level patient");
  }

  @Test
  void aRefusedKickOffShowsTheOperationOutcomeAndExitsTwo() {
    server.requireToken = false;
    server.refuseEverything = "Bulk export is disabled on this server";

    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(),
        "--export-level", "patient");

    assertThat(screen.status()).isEqualTo(2);
    assertThat(screen.err()).contains("error: the server refused the export at " + server.base()
        + "/Patient/$export (HTTP 400): Bulk export is disabled on this server");
    assertThat(server.seen()).allSatisfy(s -> assertThat(s.authorization()).isNull());
  }

  @Test
  void writeGroupIsRefusedAfterAnIncompleteExportAndNothingIsWritten() {
    server.requireToken = false;
    server.file("Condition", "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":"
        + "\"Patient/p1\"}}\n");
    server.errorFile = ScriptedBulkServer.outcome("Patient/p9 could not be exported: consent withheld") + "\n";

    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01", "--write-group");

    assertThat(screen.status()).as(screen.err()).isEqualTo(4);
    assertThat(screen.err()).contains("error: --write-group not done, nothing written: the screen is incomplete: "
        + "the server's export has error files").doesNotContain("p9").doesNotContain("p1");
    assertThat(screen.out()).doesNotContain("written:");
    assertThat(server.seen()).noneSatisfy(s -> assertThat(s.method()).isEqualTo("POST"));
  }

  @Test
  void aTypeTheExportLeftOutMakesTheScreenIncompleteAndRefusesTheGroup() {
    server.requireToken = false;
    server.refuseType = "AllergyIntolerance";
    server.file("Condition", "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":"
        + "\"Patient/p1\"}}\n");

    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01");
    assertThat(screen.status()).as(screen.err()).isEqualTo(3);
    assertThat(screen.err()).contains("error: the server's export did not include AllergyIntolerance: the rules "
        + "that read it are unknown");

    Run group = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01", "--write-group");
    assertThat(group.status()).as(group.err()).isEqualTo(4);
    assertThat(group.err()).contains("--write-group not done, nothing written: the screen is incomplete: the export "
        + "did not include AllergyIntolerance");
    assertThat(server.seen()).noneSatisfy(s -> assertThat(s.method()).isEqualTo("POST"));
  }

  @Test
  void anExportWithoutConditionsIsNotScreenedAsIfNobodyWereACandidate() {
    server.requireToken = false;
    server.refuseType = "Condition";

    Run screen = run("screen", "--fhir-base", server.base(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01");

    assertThat(screen.status()).as(screen.err()).isEqualTo(3);
    assertThat(screen.err()).contains("error: the server's export did not include Condition: the screen cannot "
        + "find anybody without it; nothing was screened");
    assertThat(dir.resolve("out/summary.html")).doesNotExist();
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int status = CommandLine.run(all.toArray(String[]::new), Clock.systemUTC(), new PrintWriter(out),
        new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }
}
