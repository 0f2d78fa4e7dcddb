package org.ketamineadvisor.advisor.fhir.files;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.allergy;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.bundle;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.claim;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.condition;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.medication;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.medicationRequest;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.observation;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.patient;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.resource;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.write;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.writeNdjson;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FhirFileReaderTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @TempDir
  Path dir;

  private final List<PatientResources> patients = new ArrayList<>();
  private final List<InputProblem> problems = new ArrayList<>();

  private void read(Path... inputs) {
    new FhirFileReader(FHIR).read(List.of(inputs), patients::add, problems::add);
  }

  private static List<String> labels(PatientResources p) {
    return p.resources().stream().map(FhirFileReaderTest::label).toList();
  }

  private static String label(Resource r) {
    return r.fhirType() + "/" + r.getIdElement().getIdPart();
  }

  @Test
  void collectionBundleResolvesUrnUuidReferencesThroughThePatientsFullUrl() throws IOException {
    Path file = bundle("collection")
        .entry("urn:uuid:c-1", condition("c1", "urn:uuid:aaa"))
        .entry("urn:uuid:m-1", medication("m1"))
        .entry("urn:uuid:r-1", medicationRequest("r1", "urn:uuid:aaa", "urn:uuid:m-1"))
        .entry("urn:uuid:x-1", claim("x1", "urn:uuid:aaa"))
        .entry("urn:uuid:aaa", patient("p1"))
        .writeTo(dir.resolve("synthea.json"));

    read(file);

    assertThat(problems).isEmpty();
    assertThat(patients).singleElement().satisfies(p -> {
      assertThat(p.patientId()).isEqualTo("p1");
      assertThat(p.patient().getBirthDateElement().getValueAsString()).isEqualTo("1970-01-01");
      // the Claim is of no use to the advisor and is not handed on
      assertThat(labels(p)).containsExactly("Condition/c1", "MedicationRequest/r1", "Medication/m1");
      assertThat(p.fullUrls()).containsExactly("urn:uuid:c-1", "urn:uuid:r-1", "urn:uuid:m-1");
      assertThat(p.source()).isEqualTo(file.toString());
    });
  }

  @Test
  void transactionBundleWithoutIdsUsesTheUuidOfThePatientsFullUrl() throws IOException {
    Path file = bundle("transaction")
        .entry("urn:uuid:1111", patient(null))
        .entry("urn:uuid:2222", observation(null, "urn:uuid:1111"))
        .entry("urn:uuid:3333", allergy(null, "urn:uuid:1111"))
        .writeTo(dir.resolve("tx.json"));

    read(file);

    assertThat(problems).isEmpty();
    assertThat(patients).singleElement().satisfies(p -> {
      assertThat(p.patientId()).isEqualTo("1111");
      assertThat(p.resources()).extracting(Resource::fhirType).containsExactly("Observation", "AllergyIntolerance");
      assertThat(p.fullUrls()).containsExactly("urn:uuid:2222", "urn:uuid:3333");
    });
  }

  @Test
  void searchsetBundleWithRelativeReferencesGroupsEachPatient() throws IOException {
    String base = "https://ehr.example.org/fhir/";
    Path file = bundle("searchset")
        .entry(base + "Patient/123", patient("123"))
        .entry(base + "Condition/c1", condition("c1", "Patient/123"))
        .entry(base + "Patient/45", patient("45"))
        .entry(base + "Condition/c2", condition("c2", base + "Patient/45/_history/2"))
        .entry(base + "Medication/m9", medication("m9"))
        .entry(base + "MedicationRequest/r2", medicationRequest("r2", "Patient/45", "Medication/m9"))
        .writeTo(dir.resolve("search.json"));

    read(file);

    assertThat(problems).isEmpty();
    assertThat(patients).extracting(PatientResources::patientId).containsExactly("123", "45");
    assertThat(labels(patients.get(0))).containsExactly("Condition/c1");
    assertThat(labels(patients.get(1))).containsExactly("Condition/c2", "MedicationRequest/r2", "Medication/m9");
  }

  @Test
  void ndjsonSplitByTypeIsRegroupedByPatientWithSharedMedications() throws IOException {
    writeNdjson(dir.resolve("Patient.ndjson"), patient("p2"), patient("p1"));
    writeNdjson(dir.resolve("Condition.ndjson"), condition("c1", "Patient/p1"), condition("c2", "Patient/p2"));
    writeNdjson(dir.resolve("Observation.ndjson"), observation("o1", "Patient/p2"));
    writeNdjson(dir.resolve("AllergyIntolerance.ndjson"), allergy("a1", "Patient/p1"));
    writeNdjson(dir.resolve("MedicationRequest.ndjson"), medicationRequest("r1", "Patient/p1", "Medication/m1"));
    writeNdjson(dir.resolve("Medication.ndjson"), medication("m1"), medication("m2"));

    read(dir);

    assertThat(problems).isEmpty();
    assertThat(patients).extracting(PatientResources::patientId).containsExactly("p1", "p2");
    assertThat(labels(patients.get(0)))
        .containsExactlyInAnyOrder("Condition/c1", "AllergyIntolerance/a1", "MedicationRequest/r1", "Medication/m1");
    assertThat(labels(patients.get(1))).containsExactlyInAnyOrder("Condition/c2", "Observation/o1");
    assertThat(patients.get(0).fullUrls()).containsOnlyNulls();
  }

  @Test
  void aFolderMixingBundlesAndGzippedNdjsonMergesOnePatientIntoOneGroup() throws IOException {
    bundle("collection")
        .entry("urn:uuid:p1", patient("p1"))
        .entry("urn:uuid:c1", condition("c1", "urn:uuid:p1"))
        .writeTo(dir.resolve("bundles/p1.json"));
    writeNdjson(dir.resolve("bulk/Observation.ndjson.gz"), observation("o1", "Patient/p1"),
        observation("o2", "urn:uuid:p1"));
    // the same Condition exported twice is handed on once
    writeNdjson(dir.resolve("bulk/Condition.ndjson"), condition("c1", "Patient/p1"));
    write(dir.resolve("notes.txt"), "not FHIR, not read");

    read(dir);

    assertThat(problems).isEmpty();
    assertThat(patients).singleElement().satisfies(p -> {
      assertThat(labels(p)).containsExactlyInAnyOrder("Condition/c1", "Observation/o1", "Observation/o2");
      assertThat(p.source()).contains("p1.json").contains("Observation.ndjson.gz");
    });
  }

  @Test
  void bundleWithResourceTypeAfterOtherFieldsIsReadWhole() throws IOException {
    Path file = write(dir.resolve("reordered.json"), "{\"type\": \"collection\", \"entry\": ["
        + "{\"resource\": " + condition("c1", "urn:uuid:9") + ", \"fullUrl\": \"urn:uuid:c1\"},"
        + "{\"fullUrl\": \"urn:uuid:9\", \"resource\": " + patient("p9") + "}"
        + "], \"resourceType\": \"Bundle\"}");

    read(file);

    assertThat(problems).isEmpty();
    assertThat(patients).singleElement().satisfies(p -> {
      assertThat(p.patientId()).isEqualTo("p9");
      assertThat(labels(p)).containsExactly("Condition/c1");
      assertThat(p.fullUrls()).containsExactly("urn:uuid:c1");
    });
  }

  @Test
  void singleResourceJsonFilesAreReadLikeNdjsonLines() throws IOException {
    write(dir.resolve("patient.json"), patient("p1").toPrettyString());
    write(dir.resolve("request.json"), medicationRequest("r1", "Patient/p1", "Medication/m1").toPrettyString());
    write(dir.resolve("medication.json"), medication("m1").toPrettyString());

    read(dir);

    assertThat(problems).isEmpty();
    assertThat(patients).singleElement().satisfies(p ->
        assertThat(labels(p)).containsExactly("MedicationRequest/r1", "Medication/m1"));
  }

  @Test
  void patientsComeInAscendingStringOrderOfTheirIds() throws IOException {
    writeNdjson(dir.resolve("Patient.ndjson"), patient("b"), patient("9"), patient("a"), patient("10"));
    bundle("collection").entry("urn:uuid:0", patient("B")).writeTo(dir.resolve("one.json"));

    read(dir);

    assertThat(patients).extracting(PatientResources::patientId).containsExactly("10", "9", "B", "a", "b");
  }

  @Test
  void malformedNdjsonLineIsReportedWithFileAndLineAndTheRestIsRead() throws IOException {
    Path bad = write(dir.resolve("Condition.ndjson"), condition("c1", "Patient/p1") + "\n"
        + "{\"resourceType\":\"Condition\",\"id\":\"c2\",]\n"
        + condition("c3", "Patient/p1") + "\n");
    writeNdjson(dir.resolve("Patient.ndjson"), patient("p1"));

    read(dir);

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo(bad + ", line 2");
      assertThat(problem.message()).startsWith("not valid JSON at column").contains("']'");
    });
    assertThat(patients).singleElement().satisfies(p ->
        assertThat(labels(p)).containsExactly("Condition/c1", "Condition/c3"));
  }

  @Test
  void malformedBundleIsReportedWithLineAndColumnAndOtherFilesAreRead() throws IOException {
    Path bad = write(dir.resolve("broken.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\",\n"
        + "  \"entry\": [ {\"resource\": {\"resourceType\": \"Patient\", \"id\": \"px\"}}, ]\n}");
    writeNdjson(dir.resolve("Patient.ndjson"), patient("p1"));

    read(dir);

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo(bad.toString());
      assertThat(problem.message()).startsWith("not valid JSON at line 2, column").contains("file skipped");
    });
    // nothing of a broken Bundle is used, not even the entries before the error
    assertThat(patients).extracting(PatientResources::patientId).containsExactly("p1");
  }

  @Test
  void unknownResourceTypeIsReported() throws IOException {
    Path file = writeNdjson(dir.resolve("mixed.ndjson"), patient("p1"), resource("Banana", "b1"));

    read(file);

    assertThat(problems).containsExactly(new InputProblem(file + ", line 2",
        "resourceType 'Banana' is not a FHIR R4 resource; skipped (check the spelling and that the export is FHIR R4)"));
    assertThat(patients).hasSize(1);
  }

  @Test
  void resourceWithoutSubjectIsReportedAndSkipped() throws IOException {
    ObjectNode orphan = observation("o1", "Patient/p1");
    orphan.remove("subject");
    Path file = bundle("collection").entry(null, patient("p1")).entry(null, orphan).writeTo(dir.resolve("b.json"));

    read(file);

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo(file.toString());
      assertThat(problem.message()).startsWith("Observation/o1 has no subject reference; skipped");
    });
    assertThat(patients).singleElement().satisfies(p -> assertThat(p.resources()).isEmpty());
  }

  @Test
  void emptyFilesAreReported() throws IOException {
    Path ndjson = write(dir.resolve("Patient.ndjson"), "\n\n");
    Path json = write(dir.resolve("bundle.json"), "");

    read(ndjson, json);

    assertThat(problems).extracting(InputProblem::source).containsExactly(ndjson.toString(), json.toString());
    assertThat(problems).allSatisfy(problem -> assertThat(problem.message()).startsWith("file is empty"));
    assertThat(patients).isEmpty();
  }

  @Test
  void missingPathAndResourcesOfAnUnknownPatientAreReported() throws IOException {
    Path file = writeNdjson(dir.resolve("Condition.ndjson"), condition("c1", "Patient/ghost"));

    read(dir.resolve("nowhere.json"), file);

    assertThat(problems).extracting(InputProblem::message).satisfiesExactly(
        missing -> assertThat(missing).startsWith("no such file or folder"),
        ghost -> assertThat(ghost).contains("no input holds Patient/ghost"));
    assertThat(patients).isEmpty();
  }

  @Test
  void unknownElementsAreReportedButTheResourceIsKept() throws IOException {
    ObjectNode odd = condition("c1", "Patient/p1");
    odd.put("colour", "blue");
    Path file = writeNdjson(dir.resolve("data.ndjson"), patient("p1"), odd);

    read(file);

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo(file + ", line 2");
      assertThat(problem.message()).startsWith("Condition/c1: unknown element 'colour'");
    });
    assertThat(labels(patients.get(0))).containsExactly("Condition/c1");
  }

  @Test
  void spillingToDiskGivesTheSameGroupsAsMemoryAndLeavesNoTemporaryFiles() throws IOException {
    Path inputs = dir.resolve("in");
    List<ObjectNode> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String id = "p" + (i * 37 % 60);
      all.add(patient(id));
      all.add(condition("c" + i, "Patient/" + id));
      all.add(observation("o" + i, "Patient/" + id));
    }
    writeNdjson(inputs.resolve("export.ndjson"), all.toArray(ObjectNode[]::new));
    bundle("collection").entry("urn:uuid:p7", patient("p7")).entry(null, condition("cb", "urn:uuid:p7"))
        .writeTo(inputs.resolve("p7.json"));
    Path temp = Files.createDirectories(dir.resolve("tmp"));

    List<String> inMemory = summaries(new FhirFileReader(FHIR), inputs);
    List<Boolean> spoolOnDisk = new ArrayList<>();
    List<String> onDisk = new ArrayList<>();
    // a limit of a few resources forces the disk path and several rounds of splitting
    new FhirFileReader(FHIR, 3_000, temp).read(List.of(inputs), p -> {
      spoolOnDisk.add(countFiles(temp) > 0);
      onDisk.add(summary(p));
    }, problems::add);

    assertThat(problems).isEmpty();
    assertThat(inMemory).hasSize(60).first().asString().startsWith("p0 ");
    assertThat(onDisk).isEqualTo(inMemory);
    assertThat(spoolOnDisk).contains(true);
    assertThat(countFiles(temp)).isZero();
  }

  @Test
  void temporaryFilesAreRemovedWhenTheConsumerFails() throws IOException {
    writeNdjson(dir.resolve("in/Patient.ndjson"), patient("p1"), patient("p2"));
    Path temp = Files.createDirectories(dir.resolve("tmp"));

    assertThatThrownBy(() -> new FhirFileReader(FHIR, 10, temp).read(List.of(dir.resolve("in")), p -> {
      throw new IllegalStateException("consumer failed");
    }, problems::add)).hasMessage("consumer failed");

    assertThat(countFiles(temp)).isZero();
  }

  private List<String> summaries(FhirFileReader reader, Path input) {
    List<String> out = new ArrayList<>();
    reader.read(List.of(input), p -> out.add(summary(p)), problems::add);
    return out;
  }

  private static String summary(PatientResources p) {
    return p.patientId() + " " + labels(p) + " " + p.fullUrls();
  }

  private static long countFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
