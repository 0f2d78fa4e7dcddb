package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.fhir.server.ServerNeed;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.workspace.WriteBacks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.sandbox.FixtureLoader;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** What a server lacks becomes a read problem or a refused write; signing a plan never overwrites someone else's change. */
class CapabilityAndSigningTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void aServerThatOnlyReadsPatientsAndSearchesConditionsLacksEverythingElse() {
    CapabilityStatement statement = new CapabilityStatement();
    var rest = statement.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.addResource().setType("Patient").addInteraction().setCode(TypeRestfulInteraction.READ);
    var condition = rest.addResource().setType("Condition");
    condition.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    condition.addSearchParam().setName("patient");
    var observation = rest.addResource().setType("Observation");
    observation.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    observation.addSearchParam().setName("patient"); // but no code and no date

    Map<ServerNeed, Boolean> supported = CapabilityCheck.supported(statement);

    assertThat(supported).containsEntry(ServerNeed.READ_PATIENT, true).containsEntry(ServerNeed.SEARCH_CONDITION, true)
        .containsEntry(ServerNeed.SEARCH_OBSERVATION, false).containsEntry(ServerNeed.TRANSACTION, false)
        .containsEntry(ServerNeed.CONDITIONAL_CREATE, false);
    ServerCapabilities capabilities = new ServerCapabilities("http://x/fhir", "test", "4.0.1", supported, null);
    assertThat(capabilities.missingForWriting()).contains(ServerNeed.TRANSACTION, ServerNeed.CREATE_CARE_PLAN);
  }

  @Test
  void aTypeTheServerCannotSearchIsAReadProblemWithoutARequest() {
    String base = EmbeddedFhirServer.shared().baseUrl();
    new FixtureLoader(base).load(Path.of("launch/sandbox/ketamine-allergy.json"));
    Map<ServerNeed, Boolean> supported = new java.util.EnumMap<>(ServerCapabilities.assumeAll(base).supported());
    supported.put(ServerNeed.SEARCH_ALLERGY, false);
    ServerCapabilities noAllergySearch = new ServerCapabilities(base, "test", "4.0.1", supported, null);

    try (FhirServerReader reader = new FhirServerReader(FHIR, base, FhirClientSettings.defaults(),
        ValueSetTerminology.loadDefault(), noAllergySearch)) {
      PatientRead read = reader.read("ketamine-allergy", LocalDate.of(2026, 6, 1));
      assertThat(read.problems()).containsExactly(new ReadProblem("AllergyIntolerance",
          "the server does not support search AllergyIntolerance by patient"));
      assertThat(read.stats().roundTrips()).isEqualTo(5);
    }
  }

  @Test
  void signingADraftPlanUsesTheVersionTheClinicianSawAndRefusesAStaleOne() {
    String base = EmbeddedFhirServer.shared().baseUrl();
    new FixtureLoader(base).load(Path.of("launch/sandbox/crps-suitable.json"));
    LocalDate asOf = LocalDate.of(2026, 6, 1);
    try (FhirServerReader reader = new FhirServerReader(FHIR, base, FhirClientSettings.defaults(),
        ValueSetTerminology.loadDefault(), ServerCapabilities.assumeAll(base));
        FhirServerWriter writer = new FhirServerWriter(FHIR, base, FhirClientSettings.defaults())) {
      WriteResult written = writer.write(WriteBacks.bundleFor(reader.read("crps-suitable", asOf), asOf));
      assertThat(written.succeeded()).as(written.failure()).isTrue();
      String carePlan = written.written().stream().filter(w -> w.resourceType().equals("CarePlan")).findFirst()
          .orElseThrow().id().replace("CarePlan/", "");
      String version = FHIR.newRestfulGenericClient(base).read().resource(org.hl7.fhir.r4.model.CarePlan.class)
          .withId(carePlan).execute().getIdElement().getVersionIdPart();

      WriteResult signed = writer.activate(carePlan, version);
      assertThat(signed.succeeded()).as(signed.failure()).isTrue();
      WriteResult stale = writer.activate(carePlan, version);
      assertThat(stale.succeeded()).isFalse();
      assertThat(stale.failure()).isEqualTo("the plan was not signed: the plan was changed by someone else since version "
          + version + "; reload it and sign again");
    }
  }
}
