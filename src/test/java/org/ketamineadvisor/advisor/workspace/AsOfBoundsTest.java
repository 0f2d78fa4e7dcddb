package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.workspace.WriteBacks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** CLINICAL-RULES § 7.3 on a real server: nothing dated after the as-of date is read, so no rule or chart sees it. */
class AsOfBoundsTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

  @Test
  void aBloodPressureDatedAfterTheAsOfDateIsNotReadAndDecidesNothing() {
    String base = EmbeddedFhirServer.shared().baseUrl();
    String patient = ShowcaseCopies.load("crps-suitable", base);
    Observation later = new Observation().setStatus(Observation.ObservationStatus.FINAL)
        .setCode(new CodeableConcept(new Coding("http://loinc.org", "85354-9", "Blood pressure panel")))
        .setSubject(new Reference("Patient/" + patient))
        .setEffective(new DateTimeType("2026-09-14T09:00:00Z"));
    later.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic")))
        .setValue(new Quantity().setValue(210).setUnit("mmHg").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
    later.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8462-4", "Diastolic")))
        .setValue(new Quantity().setValue(120).setUnit("mmHg").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
    FHIR.newRestfulGenericClient(base).create().resource(later).execute();

    try (FhirServerReader reader = new FhirServerReader(FHIR, base, FhirClientSettings.defaults(),
        ValueSetTerminology.loadDefault(), ServerCapabilities.assumeAll(base))) {
      PatientRead read = reader.read(patient, AS_OF);
      var mapped = WriteBacks.ASSESSOR.map(read.resources(), read.problems());
      assertThat(mapped.record().observations()).isNotEmpty()
          .allSatisfy(o -> assertThat(o.effective().date()).isBeforeOrEqualTo(AS_OF));
      assertThat(WriteBacks.assess(read, AS_OF).assessment().verdict()).isEqualTo(Verdict.SUITABLE);
      // the same record as of the later date does see it
      PatientRead laterRead = reader.read(patient, LocalDate.of(2026, 9, 15));
      assertThat(WriteBacks.assess(laterRead, LocalDate.of(2026, 9, 15)).assessment().verdict())
          .isEqualTo(Verdict.CONTRAINDICATED);
    }
  }
}
