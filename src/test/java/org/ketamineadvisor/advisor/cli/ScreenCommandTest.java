package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code screen --input} gives, patient by patient, what {@code assess --input} gives over the same files: the same
 * line for every candidate (plus {@code deciding} and {@code missing}); for everyone else assess finds no
 * neuropathic pain condition and says not-indicated or, where a contraindication is recorded, contraindicated (the
 * documented deviation: the screen counts them all as not indicated).
 */
class ScreenCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SYNTHEA = Path.of("src/test/resources/synthea");
  private static final Path SHOWCASE = Path.of("launch/sandbox");

  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"synthea, 2025-01-01", "synthea, 2026-06-01", "showcase, 2026-06-01"})
  void everyCandidateGetsAssesssLineAndEveryOtherPatientIsNotIndicatedByAssessToo(String set, String asOf)
      throws IOException {
    Path input = set.equals("synthea") ? SYNTHEA : SHOWCASE;

    Identity identity = compare(input, asOf);

    System.out.printf("screen vs assess, %s as of %s: %d patients, %d candidates, %d non-candidates that assess "
        + "calls contraindicated%n", set, asOf, identity.patients, identity.candidates, identity.contraindicated);
    assertThat(identity.candidates).isPositive();
    assertThat(identity.patients).isGreaterThan(identity.candidates);
  }

  @Test
  void aMultipliedExportWithRepeatedIdsIsScreenedAsAssessReadsIt() throws IOException {
    long resources = MultipliedExport.write(SYNTHEA, dir.resolve("export"), 2);
    assertThat(resources).isGreaterThan(20_000);

    Identity identity = compare(dir.resolve("export"), "2026-06-01");

    assertThat(identity.patients).isEqualTo(30);
    assertThat(identity.candidates).isEqualTo(14);
  }

  @Test
  void candidatesAreFoundByTheEnginesTerminologyWithSiteCodesAndIcdCodesWrittenWithoutTheDot() throws IOException {
    Path export = dir.resolve("coded");
    StringBuilder patients = new StringBuilder();
    for (String id : List.of("p-icd", "p-local", "p-resolved", "p-hypertension")) {
      patients.append("{\"resourceType\":\"Patient\",\"id\":\"").append(id)
          .append("\",\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}\n");
    }
    Files.createDirectories(export);
    Files.writeString(export.resolve("Patient.ndjson"), patients);
    Files.writeString(export.resolve("Condition.ndjson"),
        condition("c1", "p-icd", "http://hl7.org/fhir/sid/icd-10-cm", "g90511", "active")
            + condition("c2", "p-local", "urn:oid:1.2.3", "NP1", "active")
            + condition("c3", "p-resolved", "http://snomed.info/sct", "734947007", "resolved")
            + condition("c4", "p-hypertension", "http://snomed.info/sct", "38341003", "active"));
    Path siteCodes = Files.writeString(dir.resolve("site-codes.tsv"), "valueSet\tsystem\tcode\tdisplay\tgroup\n"
        + "neuropathic-pain-indications\turn:oid:1.2.3\tNP1\tLocal neuropathic pain\tcrps\n");

    Identity without = compare(export, "2026-06-01");
    Identity with = compare(export, "2026-06-01", "--local-codes", siteCodes.toString());

    // a resolved indication still makes a candidate (the engine then finds it not active: not indicated)
    assertThat(without).isEqualTo(new Identity(4, 2, 0));
    assertThat(with).isEqualTo(new Identity(4, 3, 0));
  }

  private static String condition(String id, String patient, String system, String code, String status) {
    return "{\"resourceType\":\"Condition\",\"id\":\"" + id + "\",\"clinicalStatus\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"" + status + "\"}]},\"code\":{"
        + "\"coding\":[{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":"
        + "\"Patient/" + patient + "\"},\"onsetDateTime\":\"2020-01-01\"}\n";
  }

  @Test
  void aBrokenLineIsNamedWithItsFileAndLineAndEveryOtherPatientIsStillScreened() throws IOException {
    MultipliedExport.write(SYNTHEA, dir.resolve("export"), 1);
    Path conditions = dir.resolve("export/Broken.ndjson");
    Files.writeString(conditions, "{\"resourceType\":\"Condition\",\"id\":\"b1\",\n");

    Run screen = run("screen", "--input", dir.resolve("export").toString(), "--out", dir.resolve("out").toString(),
        "--as-of", "2025-01-01");

    assertThat(screen.status).isEqualTo(2);
    assertThat(screen.err).contains("1 input problem(s)").contains(conditions + ", line 1");
    assertThat(Files.readString(dir.resolve("out/problems.txt"))).startsWith("error: " + conditions + ", line 1: "
        + "not valid JSON");
    assertThat(Files.readAllLines(dir.resolve("out/screen.ndjson"))).hasSize(7);
  }

  @Test
  void resourcesOfAPatientNoInputHoldsAreReportedAsAssessReportsThemButNotOnStderr() throws IOException {
    Path export = dir.resolve("orphans");
    Files.createDirectories(export);
    Files.writeString(export.resolve("Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
    Files.writeString(export.resolve("Condition.ndjson"),
        condition("c1", "p1", "http://snomed.info/sct", "38341003", "active")
            + condition("c2", "ghost-7", "http://snomed.info/sct", "38341003", "active"));

    Run assess = run("assess", "--input", export.toString(), "--as-of", "2026-06-01");
    Run screen = run("screen", "--input", export.toString(), "--out", dir.resolve("out").toString(), "--as-of",
        "2026-06-01");

    assertThat(assess.status).isEqualTo(2);
    assertThat(assess.err).contains("no input holds Patient/ghost-7");
    assertThat(screen.status).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("out/problems.txt"))).contains("error: " + export.resolve(
        "Condition.ndjson") + ", line 2: 1 resource(s) such as Condition/c2 refer to patient 'ghost-7' but no input "
        + "holds Patient/ghost-7");
    assertThat(screen.err).contains(export.resolve("Condition.ndjson") + ", line 2").doesNotContain("ghost", "p1");
  }

  @Test
  void everyFileWrittenIsOwnerOnlyAlsoWhenAnOldOutputIsOverwritten() throws IOException {
    Path out = dir.resolve("new/folder");
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary.html"), "old");
    Files.setPosixFilePermissions(out.resolve("summary.html"), PosixFilePermissions.fromString("rw-r--r--"));
    Path fresh = dir.resolve("fresh/out");

    assertThat(run("screen", "--input", SHOWCASE.toString(), "--out", out.toString(), "--as-of", "2026-06-01").status)
        .isZero();
    assertThat(run("screen", "--input", SHOWCASE.toString(), "--out", fresh.toString(), "--as-of", "2026-06-01")
        .status).isZero();

    for (Path folder : List.of(out, fresh)) {
      try (Stream<Path> files = Files.list(folder)) {
        List<Path> written = files.toList();
        assertThat(written).extracting(p -> p.getFileName().toString())
            .containsExactlyInAnyOrder("screen.ndjson", "worklist.csv", "summary.html", "problems.txt");
        for (Path file : written) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
              .isEqualTo("rw-------");
        }
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void theWorklistRanksSuitableThenPrecautionsThenNeedsInformationByPatientId() throws IOException {
    Path out = dir.resolve("out");
    assertThat(run("screen", "--input", SHOWCASE.toString(), "--out", out.toString(), "--as-of", "2026-06-01").status)
        .isZero();

    List<String> rows = Files.readAllLines(out.resolve("worklist.csv"));
    assertThat(rows.get(0)).isEqualTo("rank,patient,verdict,deciding,missing,protocol,sessions,dose_mg");
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out.resolve("screen.ndjson"))) {
      JsonNode node = JSON.readTree(line);
      verdicts.put(node.get("patient").asText(), node.get("verdict").asText());
    }
    List<String> expected = new ArrayList<>();
    for (String verdict : List.of("suitable", "suitable-with-precautions", "needs-information")) {
      verdicts.entrySet().stream().filter(e -> e.getValue().equals(verdict)).map(Map.Entry::getKey).sorted()
          .forEach(patient -> expected.add(patient + "," + verdict));
    }
    List<String> listed = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      String[] fields = rows.get(i).split(",", 4);
      assertThat(fields[0]).isEqualTo(Integer.toString(i));
      listed.add(fields[1] + "," + fields[2]);
    }
    assertThat(listed).isEqualTo(expected).hasSizeGreaterThan(5);
    String bpMissing = rows.stream().filter(r -> r.contains(",bp-missing,")).findFirst().orElseThrow();
    assertThat(bpMissing).contains("needs-information,DATA-BP (blood pressure within 30 days: not known),"
        + "blood pressure within 30 days,P-CRPS,10,96");
    assertThat(String.join("\n", rows)).doesNotContain("contraindicated", "not-indicated");
  }

  @Test
  void usageErrorsNameTheOptionAndWriteNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    Run noOut = run("screen", "--input", SHOWCASE.toString());
    Run outIsFile = run("screen", "--input", SHOWCASE.toString(), "--out", file.toString());
    Run missingInput = run("screen", "--input", dir.resolve("nowhere").toString(), "--out",
        dir.resolve("out").toString());

    assertThat(noOut.status).isEqualTo(2);
    assertThat(noOut.err).contains("--out");
    assertThat(outIsFile.status).isEqualTo(2);
    assertThat(outIsFile.err).contains("--out " + file + " is a file, not a folder");
    assertThat(missingInput.status).isEqualTo(2);
    assertThat(missingInput.err).contains("--input " + dir.resolve("nowhere") + ": no such file or folder");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /** What comparing the two commands found; fails the test on any difference. */
  private record Identity(int patients, int candidates, int contraindicated) {
  }

  private Identity compare(Path input, String asOf, String... options) throws IOException {
    Run assess = run(Stream.concat(Stream.of("assess", "--input", input.toString(), "--as-of", asOf),
        Stream.of(options)).toArray(String[]::new));
    Path out = dir.resolve("screen-" + asOf + options.length);
    Run screen = run(Stream.concat(Stream.of("screen", "--input", input.toString(), "--out", out.toString(),
        "--as-of", asOf), Stream.of(options)).toArray(String[]::new));
    assertThat(screen.status).as(screen.err).isEqualTo(assess.status).isZero();
    assertThat(screen.err).doesNotContain("error", "warning");

    Map<String, String> assessed = new LinkedHashMap<>();
    for (String line : assess.out.split("\n")) {
      if (!line.isBlank()) {
        assessed.put(JSON.readTree(line).get("patient").asText(), line);
      }
    }
    List<String> screened = Files.readAllLines(out.resolve("screen.ndjson"));
    List<String> screenedIds = new ArrayList<>();
    for (String line : screened) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      String patient = node.get("patient").asText();
      screenedIds.add(patient);
      JsonNode deciding = node.remove("deciding");
      JsonNode missing = node.remove("missing");
      assertThat(JSON.writeValueAsString(node)).as(patient).isEqualTo(assessed.get(patient));
      List<String> unknown = new ArrayList<>();
      node.get("findings").forEach(f -> {
        if (f.get("outcome").asText().equals("unknown")) {
          unknown.add(f.get("rule").asText());
        }
      });
      assertThat(missing).as(patient).isEqualTo(JSON.valueToTree(unknown));
      assertThat(deciding.isArray()).isTrue();
    }
    assertThat(screenedIds).isSorted().doesNotHaveDuplicates();
    int contraindicated = 0;
    for (Map.Entry<String, String> patient : assessed.entrySet()) {
      if (screenedIds.contains(patient.getKey())) {
        continue;
      }
      JsonNode line = JSON.readTree(patient.getValue());
      // findings list only met and unknown rules: IND-NEUROPATHIC absent means not met
      List<String> rules = new ArrayList<>();
      line.get("findings").forEach(f -> rules.add(f.get("rule").asText()));
      assertThat(rules).as(patient.getKey()).doesNotContain("IND-NEUROPATHIC");
      assertThat(line.get("verdict").asText()).as(patient.getKey()).isIn("not-indicated", "contraindicated");
      if (line.get("verdict").asText().equals("contraindicated")) {
        contraindicated++;
      }
    }
    return new Identity(assessed.size(), screened.size(), contraindicated);
  }

  private record Run(int status, String out, String err) {
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(args, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }
}
