package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The complete-status manifest: its files get safe local names, whatever their URLs say. */
class ManifestTest {

  private static final URI STATUS = URI.create("https://ehr.example.org/fhir/bulkstatus/job-1");

  @Test
  void outputsAndErrorsGetNamesFromTheirPlaceAndType() throws Exception {
    Manifest manifest = Manifest.parse("""
        {"transactionTime": "2026-06-01T10:00:00Z", "request": "https://ehr.example.org/fhir/$export",
         "requiresAccessToken": true,
         "output": [
           {"type": "Patient", "url": "https://files.example.org/a/../../etc/passwd.ndjson", "count": 12},
           {"type": "Condition", "url": "/fhir/bulkfiles/2"},
           {"type": "../Evil", "url": "https://files.example.org/3"}],
         "error": [{"type": "OperationOutcome", "url": "bulkfiles/err1"}]}
        """, STATUS);

    assertThat(manifest.requiresAccessToken()).isTrue();
    assertThat(manifest.transactionTime()).isEqualTo("2026-06-01T10:00:00Z");
    assertThat(manifest.output()).extracting(Manifest.ExportFile::name)
        .containsExactly("001.Patient.ndjson", "002.Condition.ndjson", "003.Unknown.ndjson");
    assertThat(manifest.output().get(0).count()).isEqualTo(12L);
    assertThat(manifest.output().get(1).url()).isEqualTo(URI.create("https://ehr.example.org/fhir/bulkfiles/2"));
    assertThat(manifest.error()).singleElement().satisfies(error -> {
      assertThat(error.name()).isEqualTo("errors/001.OperationOutcome.ndjson");
      assertThat(error.isError()).isTrue();
      assertThat(error.url()).isEqualTo(URI.create("https://ehr.example.org/fhir/bulkstatus/bulkfiles/err1"));
    });
    assertThat(manifest.files()).hasSize(4);
  }

  @Test
  void noErrorListAndNoTokenFlagMeanNoneAndFalse() throws Exception {
    Manifest manifest = Manifest.parse("{\"output\": []}", STATUS);
    assertThat(manifest.requiresAccessToken()).isFalse();
    assertThat(manifest.files()).isEmpty();
  }

  @Test
  void aManifestThatCannotBeFollowedSaysWhy() {
    assertThatThrownBy(() -> Manifest.parse("<html>", STATUS)).hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> Manifest.parse("{}", STATUS)).hasMessageContaining("has no \"output\" list");
    assertThatThrownBy(() -> Manifest.parse("{\"output\": [{\"type\": \"Patient\"}]}", STATUS))
        .hasMessageContaining("a file without a url (output entry 1)");
    assertThatThrownBy(() -> Manifest.parse("{\"output\": [{\"type\": \"Patient\", \"url\": \"file:///etc/x\"}]}",
        STATUS)).hasMessageContaining("not an http(s) URL (output entry 1)");
  }
}
