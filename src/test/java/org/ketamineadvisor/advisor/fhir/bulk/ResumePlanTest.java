package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a screen started again with the same --out picks up, from the saved state and the files on disk. */
class ResumePlanTest {

  private static final String MANIFEST = """
      {"requiresAccessToken": false, "output": [
        {"type": "Patient", "url": "https://ehr.example.org/files/1"},
        {"type": "Condition", "url": "https://ehr.example.org/files/2"},
        {"type": "Observation", "url": "https://ehr.example.org/files/3"}]}
      """;

  @TempDir
  Path dir;

  @Test
  void nothingSavedStartsANewExport() throws Exception {
    assertThat(ResumePlan.decide(Optional.empty(), dir).step()).isEqualTo(ResumePlan.Step.KICK_OFF);
  }

  @Test
  void aJobWithoutManifestIsPolledAgainAtItsStatusUrl() throws Exception {
    ExportState state = started();
    state.save(dir);
    ResumePlan plan = ResumePlan.decide(ExportState.read(dir), dir);
    assertThat(plan.step()).isEqualTo(ResumePlan.Step.POLL);
    assertThat(plan.statusUrl()).hasToString("https://ehr.example.org/status/7");
  }

  @Test
  void completeFilesAreKeptAndOnlyMissingOrAlteredOnesDownloaded() throws Exception {
    ExportState state = started();
    state.manifestReceived(new ObjectMapper().readTree(MANIFEST));
    state.completed("001.Patient.ndjson", FileDigest.of(Files.writeString(dir.resolve("001.Patient.ndjson"),
        "{\"resourceType\":\"Patient\"}\n")));
    state.completed("002.Condition.ndjson", FileDigest.of(Files.writeString(dir.resolve("002.Condition.ndjson"),
        "{\"resourceType\":\"Condition\"}\n")));
    state.save(dir);
    // same size, different bytes: only the SHA-256 tells
    Files.writeString(dir.resolve("002.Condition.ndjson"), "{\"resourceType\":\"Conditiom\"}\n");

    ResumePlan plan = ResumePlan.decide(ExportState.read(dir), dir);

    assertThat(plan.step()).isEqualTo(ResumePlan.Step.DOWNLOAD);
    assertThat(plan.kept()).extracting(Manifest.ExportFile::name).containsExactly("001.Patient.ndjson");
    assertThat(plan.toDownload()).extracting(Manifest.ExportFile::name)
        .containsExactly("002.Condition.ndjson", "003.Observation.ndjson");
  }

  @Test
  void aFinishedExportWithEveryFileIntactNeedsNothing() throws Exception {
    ExportState state = started();
    state.manifestReceived(new ObjectMapper().readTree("""
        {"output": [{"type": "Patient", "url": "https://ehr.example.org/files/1"}]}"""));
    state.completed("001.Patient.ndjson", FileDigest.of(Files.writeString(dir.resolve("001.Patient.ndjson"), "")));
    state.finish();
    state.save(dir);
    assertThat(ResumePlan.decide(ExportState.read(dir), dir).step()).isEqualTo(ResumePlan.Step.DONE);

    Files.delete(dir.resolve("001.Patient.ndjson"));
    ResumePlan missing = ResumePlan.decide(ExportState.read(dir), dir);
    assertThat(missing.step()).isEqualTo(ResumePlan.Step.DOWNLOAD);
    assertThat(missing.toDownload()).hasSize(1);
  }

  @Test
  void theStateIsOwnerOnly() throws Exception {
    started().save(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ExportState.FILE_NAME))))
        .isEqualTo("rw-------");
  }

  private static ExportState started() {
    ExportState state = new ExportState("https://ehr.example.org/$export");
    state.started("https://ehr.example.org/$export?_type=Patient", "https://ehr.example.org/status/7");
    return state;
  }
}
