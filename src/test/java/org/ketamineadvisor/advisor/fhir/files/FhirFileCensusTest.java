package org.ketamineadvisor.advisor.fhir.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.bundle;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.condition;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.observation;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.patient;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.write;
import static org.ketamineadvisor.advisor.fhir.files.FhirJsonFixtures.writeNdjson;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.terminology.Code;

/** The screening census reads files as the reader does, but only Patients and Conditions, and reports nothing. */
class FhirFileCensusTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @TempDir
  Path dir;

  private final List<String> told = new ArrayList<>();

  private void census(Path... inputs) {
    new FhirFileCensus(FHIR).count(List.of(inputs), new FhirFileCensus.Listener() {
      @Override
      public void patient(String patientId) {
        told.add("Patient " + patientId);
      }

      @Override
      public void condition(String patientId, List<Code> codings) {
        told.add("Condition of " + patientId + " " + codings.stream().map(c -> c.system() + "|" + c.code()).toList());
      }
    });
  }

  @Test
  void ndjsonGivesPatientsAndConditionCodesAndSkipsOtherTypesAfterTheirType() throws IOException {
    ObjectNode coded = condition("c2", "Patient/p2");
    coded.withArray("/code/coding").addObject().put("system", "http://hl7.org/fhir/sid/icd-10-cm").put("code", "G57.0");
    coded.withArray("/code/coding").addObject().put("system", "http://x").put("code", " ");
    writeNdjson(dir.resolve("in/Patient.ndjson"), patient("p1"), patient("p2"));
    writeNdjson(dir.resolve("in/Condition.ndjson.gz"), condition("c1", "Patient/p1"), coded);
    // an Observation line is dropped once its type is read: what follows is not even tokenised
    write(dir.resolve("in/Observation.ndjson"), "{\"resourceType\":\"Observation\", this is not JSON\n"
        + observation("o1", "Patient/p1") + "\n");

    census(dir.resolve("in"));

    assertThat(told).containsExactly(
        "Condition of p1 [http://snomed.info/sct|128200000]",
        "Condition of p2 [http://snomed.info/sct|128200000, http://hl7.org/fhir/sid/icd-10-cm|G57.0]",
        "Patient p1", "Patient p2");
  }

  @Test
  void aCodeOrSystemWrittenAsANumberIsReadAsItsTextAsHapiLenientlyDoes() throws IOException {
    write(dir.resolve("in/Condition.ndjson"), "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"code\":{\"coding\":["
        + "{\"system\":\"http://snomed.info/sct\",\"code\":368581000119106},{\"system\":7,\"code\":1.5}]},"
        + "\"subject\":{\"reference\":\"Patient/p1\"}}\n");

    census(dir.resolve("in"));

    assertThat(told).containsExactly("Condition of p1 [http://snomed.info/sct|368581000119106, 7|1.5]");
  }

  @Test
  void bundleConditionsAreResolvedThroughThePatientsFullUrlAsTheReaderDoes() throws IOException {
    bundle("collection")
        .entry("urn:uuid:c-1", condition("c1", "urn:uuid:aaa"))
        .entry("urn:uuid:o-1", observation("o1", "urn:uuid:aaa"))
        .entry("urn:uuid:aaa", patient("p1"))
        .writeTo(dir.resolve("bundle.json"));

    census(dir.resolve("bundle.json"));

    // a Bundle's entries are routed once the Patient's fullUrl is known, in entry order
    assertThat(told).containsExactly("Condition of p1 [http://snomed.info/sct|128200000]", "Patient p1");
  }

  @Test
  void brokenLinesAndMissingFilesAreLeftToTheReaderToReport() throws IOException {
    write(dir.resolve("in/Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n{not json\n");

    census(dir.resolve("in"), dir.resolve("missing"));

    assertThat(told).containsExactly("Patient p1");
  }

  @Test
  void theReaderReadsOnlyTheWantedPatientsButStillReportsEveryBrokenLine() throws IOException {
    writeNdjson(dir.resolve("in/Patient.ndjson"), patient("p1"), patient("p2"));
    write(dir.resolve("in/Condition.ndjson"), condition("c1", "Patient/p1") + "\n{broken\n"
        + condition("c2", "Patient/p2") + "\n");
    List<PatientResources> read = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();

    new FhirFileReader(FHIR).read(List.of(dir.resolve("in")), "p2"::equals, read::add, problems::add);

    assertThat(read).extracting(PatientResources::patientId).containsExactly("p2");
    assertThat(read.get(0).resources()).hasSize(1);
    assertThat(problems).extracting(InputProblem::source).containsExactly(dir.resolve("in/Condition.ndjson")
        + ", line 2");
  }
}
