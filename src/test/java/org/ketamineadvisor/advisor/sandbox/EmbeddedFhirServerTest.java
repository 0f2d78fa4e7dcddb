package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFhirServerTest {

  private static final String LOINC = "http://loinc.org";
  private static final String HEART_RATE = "8867-4";
  private static final String PAIN_SEVERITY = "72514-3";
  private static final String SNOMED = "http://snomed.info/sct";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  private static final String ASSESSMENT_SYSTEM = "https://ketamine-advisor.org/fhir/assessment-id";

  private static EmbeddedFhirServer server;
  private static IGenericClient client;

  @BeforeAll
  static void startServer() {
    server = EmbeddedFhirServer.shared();
    client = server.client();
  }

  @Test
  void theSharedServerIsOnePerJvmAndAnswersOnItsBaseUrl() {
    assertThat(EmbeddedFhirServer.shared()).isSameAs(server);
    assertThat(server.baseUrl()).matches("http://localhost:\\d+/fhir");
    System.out.printf("Embedded FHIR server start-up: %d ms%n", server.startupTime().toMillis());
  }

  @Test
  void aServerOfItsOwnListensOnTheGivenPortUntilClosed() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // cheap once the shared server has warmed the JVM up (about 3 s instead of 12)
    EmbeddedFhirServer own = EmbeddedFhirServer.start(port);
    try {
      assertThat(own.baseUrl()).isEqualTo("http://localhost:" + port + "/fhir");
      Bundle patients = own.client().search().forResource(Patient.class).returnBundle(Bundle.class).execute();
      assertThat(patients.getEntry()).as("a database of its own, not the shared server's").isEmpty();
    } finally {
      int taken = port;
      assertThatThrownBy(() -> EmbeddedFhirServer.start(taken))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + port);
      own.close();
      own.close();
    }
    int closed = port;
    assertThatThrownBy(() -> new Socket("localhost", closed).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void capabilityStatementListsTheResourcesAndSearchesTheAppUses() {
    CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();

    assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
    List<CapabilityStatementRestResourceComponent> resources = capabilities.getRestFirstRep().getResource();
    assertThat(resources).extracting(CapabilityStatementRestResourceComponent::getType)
        .contains("Condition", "Observation", "MedicationRequest", "MedicationStatement", "AllergyIntolerance",
            "RiskAssessment", "CarePlan", "Provenance");
    CapabilityStatementRestResourceComponent medicationRequest = resources.stream()
        .filter(resource -> resource.getType().equals("MedicationRequest")).findFirst().orElseThrow();
    assertThat(medicationRequest.getSearchInclude()).extracting(include -> include.getValue())
        .contains("MedicationRequest:medication");
  }

  @Test
  void searchesByPatientFindEachTypeAndIncludeTheReferencedMedication() {
    String patientId = newId();
    String medicationId = newId();
    Bundle transaction = transaction(
        patient(patientId),
        condition(patientId, "44054006"),
        observation(patientId, HEART_RATE, "2026-05-01T10:00:00Z", 72),
        medication(medicationId, "1049221"),
        medicationRequest(patientId, medicationId),
        medicationStatement(patientId),
        allergy(patientId));

    Bundle response = server.load(transaction);

    assertThat(response.getEntry()).hasSize(7)
        .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
    assertThat(searchByPatient(Condition.class, patientId).getEntry()).hasSize(1);
    assertThat(searchByPatient(Observation.class, patientId).getEntry()).hasSize(1);
    assertThat(searchByPatient(MedicationStatement.class, patientId).getEntry()).hasSize(1);
    assertThat(searchByPatient(AllergyIntolerance.class, patientId).getEntry()).hasSize(1);

    Bundle requests = client.search().forResource(MedicationRequest.class)
        .where(MedicationRequest.PATIENT.hasId(patientId))
        .include(MedicationRequest.INCLUDE_MEDICATION)
        .returnBundle(Bundle.class).execute();
    assertThat(requests.getEntry()).extracting(entry -> entry.getResource().fhirType())
        .containsExactlyInAnyOrder("MedicationRequest", "Medication");
    Medication medication = requests.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Medication.class::isInstance).map(Medication.class::cast).findFirst().orElseThrow();
    assertThat(medication.getCode().getCodingFirstRep().getCode()).isEqualTo("1049221");
  }

  @Test
  void observationSearchFiltersByCodeAndDate() {
    String patientId = newId();
    server.load(transaction(
        patient(patientId),
        observation(patientId, HEART_RATE, "2025-01-10T08:00:00Z", 80),
        observation(patientId, HEART_RATE, "2026-03-10T08:00:00Z", 75),
        observation(patientId, PAIN_SEVERITY, "2026-03-11T08:00:00Z", 7)));

    Bundle recentHeartRates = client.search().forResource(Observation.class)
        .where(Observation.PATIENT.hasId(patientId))
        .and(Observation.CODE.exactly().systemAndCode(LOINC, HEART_RATE))
        .and(Observation.DATE.afterOrEquals().day("2026-01-01"))
        .returnBundle(Bundle.class).execute();

    assertThat(recentHeartRates.getEntry()).singleElement()
        .satisfies(entry -> assertThat(((Observation) entry.getResource()).getValueQuantity().getValue())
            .isEqualByComparingTo("75"));
  }

  @Test
  void largeSearchesArePagedAtFiftyWithNextLinksOnThisServer() {
    String patientId = newId();
    List<Resource> resources = new ArrayList<>(List.of(patient(patientId)));
    for (int day = 1; day <= 60; day++) {
      resources.add(observation(patientId, HEART_RATE, String.format("2026-02-%02dT08:00:00Z", day % 28 + 1), day));
    }
    server.load(transaction(resources.toArray(Resource[]::new)));

    Bundle page = searchByPatient(Observation.class, patientId);
    assertThat(page.getEntry()).hasSize(JpaServerConfig.DEFAULT_PAGE_SIZE);
    assertThat(page.getLink(Bundle.LINK_NEXT).getUrl()).startsWith(server.baseUrl());

    int total = page.getEntry().size();
    int pages = 1;
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      page = client.loadPage().next(page).execute();
      total += page.getEntry().size();
      pages++;
    }
    assertThat(total).isEqualTo(60);
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void aConditionalTransactionRunTwiceCreatesEachResourceOnce() {
    String patientId = newId();
    server.load(transaction(patient(patientId)));
    String assessmentId = newId();
    String encodedIdentifier =
        URLEncoder.encode(ASSESSMENT_SYSTEM + "|" + assessmentId, StandardCharsets.UTF_8);

    Bundle first = client.transaction().withBundle(assessmentWrite(patientId, assessmentId, encodedIdentifier)).execute();
    Bundle second = client.transaction().withBundle(assessmentWrite(patientId, assessmentId, encodedIdentifier)).execute();

    assertThat(first.getEntry()).extracting(entry -> entry.getResponse().getStatus())
        .allSatisfy(status -> assertThat(status).startsWith("201"));
    assertThat(second.getEntry()).extracting(entry -> entry.getResponse().getStatus())
        .allSatisfy(status -> assertThat(status).startsWith("200"));
    Bundle assessments = client.search().forResource(RiskAssessment.class)
        .where(RiskAssessment.IDENTIFIER.exactly().systemAndCode(ASSESSMENT_SYSTEM, assessmentId))
        .returnBundle(Bundle.class).execute();
    assertThat(assessments.getEntry()).hasSize(1);
    Bundle provenances = client.search().byUrl(
            "Provenance?target:RiskAssessment.identifier=" + encodedIdentifier)
        .returnBundle(Bundle.class).execute();
    assertThat(provenances.getEntry()).hasSize(1);
  }

  @Test
  void anUpdateWithAStaleIfMatchVersionIsRefusedAsAConflict() {
    String patientId = newId();
    server.load(transaction(patient(patientId)));
    Patient stored = client.read().resource(Patient.class).withId(patientId).execute();
    assertThat(stored.getIdElement().getVersionIdPart()).isEqualTo("1");

    stored.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
    // the generic client sends If-Match: W/"1" because the id carries a version
    MethodOutcome updated = client.update().resource(stored).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

    Patient stale = stored.copy();
    stale.setId(stored.getIdElement().withVersion("1"));
    // HAPI answers a stale If-Match with 409 Conflict where the spec suggests 412: clients must accept both
    assertThatThrownBy(() -> client.update().resource(stale).execute())
        .isInstanceOf(ResourceVersionConflictException.class)
        .hasMessageContaining("not the current version");
  }

  @Test
  void collectionBundleFilesAreLoadedAsTransactionsKeepingTheirIds(@TempDir Path dir) throws Exception {
    String patientId = newId();
    String conditionId = newId();
    Bundle collection = new Bundle().setType(BundleType.COLLECTION);
    collection.addEntry().setFullUrl("urn:uuid:" + patientId).setResource(patient(patientId).setId(patientId));
    Condition condition = condition("ignored", "44054006");
    condition.setId(conditionId);
    condition.setSubject(new Reference("urn:uuid:" + patientId));
    collection.addEntry().setFullUrl("urn:uuid:" + conditionId).setResource(condition);
    writeJson(dir.resolve("patient.json"), collection);

    server.load(dir);

    Condition stored = client.read().resource(Condition.class).withId(conditionId).execute();
    assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + patientId);
    assertThat(searchByPatient(Condition.class, patientId).getEntry()).hasSize(1);
  }

  @Test
  void syntheaHospitalBundlesAreLoadedBeforeThePatientsThatReferToThemConditionally(@TempDir Path dir)
      throws Exception {
    String organizationNumber = newId();
    String patientId = newId();
    Organization hospital = new Organization().setName("Sandbox General");
    hospital.addIdentifier().setSystem("https://github.com/synthetichealth/synthea").setValue(organizationNumber);
    Patient patient = patient(patientId);
    patient.setManagingOrganization(new Reference(
        "Organization?identifier=https://github.com/synthetichealth/synthea|" + organizationNumber));
    // "Aaron…" sorts before "hospitalInformation…": name order alone would load the patient first and fail
    writeJson(dir.resolve("Aaron1_Sandbox2_" + patientId + ".json"), transaction(patient));
    writeJson(dir.resolve("hospitalInformation1700000000000.json"), transaction(hospital));

    List<Bundle> responses = server.load(dir);

    assertThat(responses).hasSize(2);
    Patient stored = client.read().resource(Patient.class).withId(patientId).execute();
    assertThat(stored.getManagingOrganization().getReference()).startsWith("Organization/");
  }

  @Test
  void aFixtureTheServerRejectsIsNamedInTheError(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
        + "{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient\"}}]}");

    assertThatThrownBy(() -> server.load(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(broken.toString());
  }

  private static Bundle assessmentWrite(String patientId, String assessmentId, String encodedIdentifier) {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    RiskAssessment assessment = new RiskAssessment()
        .setStatus(RiskAssessment.RiskAssessmentStatus.FINAL)
        .setSubject(new Reference("Patient/" + patientId));
    assessment.addIdentifier().setSystem(ASSESSMENT_SYSTEM).setValue(assessmentId);
    bundle.addEntry().setFullUrl("urn:uuid:" + assessmentId).setResource(assessment).getRequest()
        .setMethod(HTTPVerb.POST).setUrl("RiskAssessment").setIfNoneExist("identifier=" + encodedIdentifier);
    Provenance provenance = new Provenance().addTarget(new Reference("urn:uuid:" + assessmentId));
    provenance.setRecordedElement(new org.hl7.fhir.r4.model.InstantType("2026-06-01T10:00:00Z"));
    provenance.addAgent().setWho(new Reference().setDisplay("Dr Test"));
    bundle.addEntry().setFullUrl("urn:uuid:" + newId()).setResource(provenance).getRequest()
        .setMethod(HTTPVerb.POST).setUrl("Provenance")
        .setIfNoneExist("Provenance?target:RiskAssessment.identifier=" + encodedIdentifier);
    return bundle;
  }

  private static void writeJson(Path file, Bundle bundle) throws java.io.IOException {
    Files.writeString(file, FixtureLoader.FHIR.newJsonParser().encodeResourceToString(bundle));
  }

  private static Bundle searchByPatient(Class<? extends Resource> type, String patientId) {
    return client.search().forResource(type)
        .where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("patient").hasId(patientId))
        .returnBundle(Bundle.class).execute();
  }

  /** A transaction that PUTs resources with ids and POSTs the others, as fixture files are loaded. */
  private static Bundle transaction(Resource... resources) {
    Bundle bundle = new Bundle().setType(BundleType.COLLECTION);
    for (Resource resource : resources) {
      String fullUrl = resource.hasId() ? resource.fhirType() + "/" + resource.getIdElement().getIdPart()
          : "urn:uuid:" + newId();
      bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
    }
    return FixtureLoader.asTransaction(bundle);
  }

  private static Patient patient(String id) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addName().setFamily("Sandbox").addGiven("Test");
    return patient;
  }

  private static Condition condition(String patientId, String snomed) {
    Condition condition = new Condition()
        .setSubject(new Reference("Patient/" + patientId))
        .setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(SNOMED, snomed, null)));
    condition.getClinicalStatus().addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("active");
    return condition;
  }

  private static Observation observation(String patientId, String loinc, String when, int value) {
    Observation observation = new Observation()
        .setStatus(Observation.ObservationStatus.FINAL)
        .setSubject(new Reference("Patient/" + patientId))
        .setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(LOINC, loinc, null)))
        .setEffective(new DateTimeType(when));
    observation.setValue(new org.hl7.fhir.r4.model.Quantity(value));
    return observation;
  }

  private static Medication medication(String id, String rxnorm) {
    Medication medication = new Medication()
        .setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(RXNORM, rxnorm, null)));
    medication.setId(id);
    return medication;
  }

  private static MedicationRequest medicationRequest(String patientId, String medicationId) {
    return new MedicationRequest()
        .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
        .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
        .setSubject(new Reference("Patient/" + patientId))
        .setMedication(new Reference("Medication/" + medicationId));
  }

  private static MedicationStatement medicationStatement(String patientId) {
    return new MedicationStatement()
        .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
        .setSubject(new Reference("Patient/" + patientId))
        .setMedication(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(RXNORM, "197696", null)));
  }

  private static AllergyIntolerance allergy(String patientId) {
    return new AllergyIntolerance()
        .setPatient(new Reference("Patient/" + patientId))
        .setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(RXNORM, "7052", null)));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
