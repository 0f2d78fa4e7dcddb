package org.ketamineadvisor.advisor.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.fhir.writing.CandidateGroupBundle;
import org.ketamineadvisor.advisor.fhir.writing.ScreeningSummary;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;

/** {@code screen --write-group}'s transaction written to the embedded HAPI server by the app's writer, and read back. */
class CandidateGroupWriteTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void theGroupAndTheMeasureReportAreWrittenTogetherAndAWriteOfTheSameResultsCreatesNothingNew() {
    EmbeddedFhirServer server = EmbeddedFhirServer.shared();
    server.load(Path.of("launch/sandbox/crps-suitable.json"));
    ScreeningSummary summary = new ScreeningSummary(LocalDate.parse("2026-06-01"), List.of("crps-suitable"),
        Map.of("suitable", 1L, "not-indicated", 9L), 10, "test", Instant.parse("2026-06-01T10:00:00Z"));
    Bundle transaction = CandidateGroupBundle.build(summary);

    try (FhirServerWriter writer = new FhirServerWriter(FHIR, server.baseUrl(), FhirClientSettings.defaults())) {
      WriteResult first = writer.write(transaction);
      WriteResult second = writer.write(CandidateGroupBundle.build(summary));

      assertThat(first.outcome()).as(first.failure()).isEqualTo(WriteResult.Outcome.WRITTEN);
      assertThat(first.written()).extracting(WriteResult.Written::resourceType)
          .containsExactly("Group", "MeasureReport", "Provenance");
      assertThat(first.written()).allMatch(WriteResult.Written::created);
      assertThat(second.written()).noneMatch(WriteResult.Written::created);
      assertThat(second.written()).extracting(WriteResult.Written::location)
          .isEqualTo(first.written().stream().map(WriteResult.Written::location).toList());

      Group group = server.client().read().resource(Group.class).withId(first.written().get(0).location()).execute();
      MeasureReport report = server.client().read().resource(MeasureReport.class)
          .withId(first.written().get(1).location()).execute();
      assertThat(group.getName()).isEqualTo("Ketamine infusion candidates 2026-06-01");
      assertThat(group.getMember()).extracting(m -> m.getEntity().getReference())
          .containsExactly("Patient/crps-suitable");
      assertThat(report.getGroupFirstRep().getPopulation())
          .extracting(p -> p.getCode().getCodingFirstRep().getCode() + "=" + p.getCount())
          .contains("initial-population=10", "suitable=1", "not-indicated=9", "contraindicated=0");
    }
  }
}
