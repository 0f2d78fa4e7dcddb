package org.ketamineadvisor.advisor.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The test fixtures (sandbox seed patients and Synthea records) are valid, self-contained R4 Bundles. */
class SandboxBundlesTest {

  private static final Path SANDBOX = Path.of("launch/sandbox");
  private static final Path SYNTHEA = Path.of("src/test/resources/synthea");
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  static Stream<Path> sandboxBundles() throws IOException {
    return jsonFiles(SANDBOX);
  }

  static Stream<Path> allBundles() throws IOException {
    return Stream.concat(jsonFiles(SANDBOX), jsonFiles(SYNTHEA));
  }

  private static Stream<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void everyShowcasePatientAndTheSyntheaSetArePresent() throws IOException {
    assertThat(sandboxBundles().map(p -> p.getFileName().toString())).contains(
        "crps-suitable.json", "sci-precautions.json", "psychosis-contraindicated.json",
        "pregnant-contraindicated.json", "pregnancy-superseded.json", "cirrhosis-contraindicated.json",
        "needs-information.json", "not-indicated.json", "ketamine-allergy.json", "opioid-benzo.json",
        "prior-therapy-elsewhere.json", "bp-missing.json", "signed-plan.json", "deceased.json", "minor.json",
        "course-go.json", "course-hold.json", "course-responder.json", "course-non-responder.json");
    assertThat(jsonFiles(SYNTHEA).count()).isBetween(12L, 20L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allBundles")
  void parsesAsBundleWithOnePatientAndResolvableReferences(Path file) throws IOException {
    Bundle bundle = parse(file);

    List<Resource> patients = bundle.getEntry().stream().map(BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).toList();
    assertThat(patients).as("Patients in %s", file).hasSize(1);
    assertThat(unresolvedReferences(bundle)).as("unresolved references in %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sandboxBundles")
  void sandboxBundleIsAnIdempotentTransaction(Path file) throws IOException {
    Bundle bundle = parse(file);

    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    for (BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
      assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
      assertThat(entry.getRequest().getUrl())
          .isEqualTo(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }
    String patientId = file.getFileName().toString().replace(".json", "");
    assertThat(bundle.getEntry()).anySatisfy(e -> assertThat(e.getRequest().getUrl()).isEqualTo("Patient/" + patientId));
  }

  @Test
  void referenceCheckCatchesADanglingReference() {
    Bundle bundle = new Bundle();
    Patient patient = new Patient();
    patient.setId("p1");
    bundle.addEntry().setFullUrl("urn:uuid:0b6f0ce6-6a1b-4d55-9a3c-5b0d3c1d1a01").setResource(patient);
    org.hl7.fhir.r4.model.Condition condition = new org.hl7.fhir.r4.model.Condition();
    condition.setId("c1");
    condition.getSubject().setReference("urn:uuid:0b6f0ce6-6a1b-4d55-9a3c-5b0d3c1d1a01");
    condition.getAsserter().setReference("Practitioner/nobody");
    bundle.addEntry().setResource(condition);

    assertThat(unresolvedReferences(bundle)).containsExactly("Condition/c1 -> Practitioner/nobody");
  }

  private static Bundle parse(Path file) throws IOException {
    IParser parser = FHIR.newJsonParser();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      IBaseResource resource = parser.parseResource(reader);
      assertThat(resource).as("%s must hold a Bundle", file).isInstanceOf(Bundle.class);
      return (Bundle) resource;
    }
  }

  /** Every reference that points neither at an entry (fullUrl or Type/id) nor at a contained resource. */
  private static List<String> unresolvedReferences(Bundle bundle) {
    Set<String> targets = new HashSet<>();
    for (BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.hasFullUrl()) {
        targets.add(entry.getFullUrl());
      }
      Resource resource = entry.getResource();
      if (resource != null && resource.getIdElement().hasIdPart()) {
        targets.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
      }
    }
    FhirTerser terser = FHIR.newTerser();
    List<String> unresolved = new ArrayList<>();
    for (BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      for (ResourceReferenceInfo info : terser.getAllResourceReferences(resource)) {
        String reference = info.getResourceReference().getReferenceElement().getValue();
        if (reference == null) {
          continue; // a reference with only an identifier or a display is not meant to resolve
        }
        if (!(targets.contains(reference) || isContained(resource, reference))) {
          unresolved.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + " -> " + reference);
        }
      }
    }
    return unresolved;
  }

  private static boolean isContained(Resource resource, String reference) {
    if (!reference.startsWith("#") || !(resource instanceof DomainResource domain)) {
      return false;
    }
    String id = reference.substring(1);
    return domain.getContained().stream()
        .anyMatch(c -> id.equals(c.getIdElement().getIdPart()) || reference.equals(c.getId()));
  }
}
