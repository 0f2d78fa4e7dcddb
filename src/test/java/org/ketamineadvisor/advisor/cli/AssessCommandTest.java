package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.cli.RecordBundles.aRecord;
import static org.ketamineadvisor.advisor.cli.RecordBundles.aRecordWithoutBirthDate;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code assess} command as a user runs it: files in, NDJSON and exit status out. */
class AssessCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock JUNE_FIRST = Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void givenTwoPatientFiles_printsOneLinePerPatientSortedById() throws IOException {
    aRecord("zeta").typicalCrpsOnOxycodone().writeTo(dir.resolve("a.json"));
    aRecord("alpha").typicalCrpsOnOxycodone().writeTo(dir.resolve("b.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(run.status).isZero();
    assertThat(run.lines()).extracting(l -> l.get("patient").asText()).containsExactly("alpha", "zeta");
    assertThat(run.err).isEmpty();
  }

  @Test
  void typicalCrpsPatientOnOpioid_isSuitableWithPrecautionsAndGetsTheCrpsProtocol() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    JsonNode line = assess("--input", dir.resolve("p1.json").toString(), "--as-of", "2026-06-01").single();

    assertThat(line.get("asOf").asText()).isEqualTo("2026-06-01");
    assertThat(line.get("verdict").asText()).isEqualTo("suitable-with-precautions");
    // findings list every rule that is met or unknown: the indications, then the interaction
    assertThat(rules(line)).containsExactly("IND-LIVING", "IND-ADULT", "IND-NEUROPATHIC", "IND-PRIOR-THERAPY", "INT-OPIOID");
    assertThat(finding(line, "INT-OPIOID").get("outcome").asText()).isEqualTo("met");
    assertThat(finding(line, "INT-OPIOID").at("/evidence/0").asText()).isEqualTo("MedicationRequest/p1-mr6");
    assertThat(finding(line, "IND-NEUROPATHIC").at("/evidence/0").asText()).isEqualTo("Condition/p1-c1");
    assertThat(finding(line, "IND-PRIOR-THERAPY").at("/evidence/0").asText()).isEqualTo("MedicationStatement/p1-ms2");
    assertThat(line.at("/risks/respiratory-depression").asText()).isEqualTo("moderate");
    assertThat(line.at("/risks/cardiovascular").asText()).isEqualTo("low");
    JsonNode protocol = line.get("protocol");
    assertThat(protocol.get("id").asText()).isEqualTo("P-CRPS");
    assertThat(protocol.get("rateMgPerHour").asInt()).isEqualTo(25); // 0.35 × 80 = 28, capped at 25
    assertThat(protocol.get("doseMg").asInt()).isEqualTo(100);
    assertThat(protocol.get("sessions").asInt()).isEqualTo(10);
    assertThat(protocol.get("minutesPerSession").asInt()).isEqualTo(240);
    assertThat(protocol.get("weightKg").asDouble()).isEqualTo(80.0);
  }

  @Test
  void theDayChecksTimeZoneMustBeAZoneAndGoesWithTheDayCheck() {
    Run unknown = assess("--fhir-base", "http://localhost:1/fhir", "--patient", "p1", "--day-check", "--time-zone",
        "Zurich");
    assertThat(unknown.status).isEqualTo(2);
    assertThat(unknown.err).contains("--time-zone").contains("Zurich");
    Run alone = assess("--fhir-base", "http://localhost:1/fhir", "--patient", "p1", "--time-zone", "Europe/Zurich");
    assertThat(alone.status).isEqualTo(2);
    assertThat(alone.err).contains("--time-zone goes with --day-check");
  }

  @Test
  void asOfDefaultsToTodayOfTheClock() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    JsonNode line = assess("--input", dir.toString()).single();

    assertThat(line.get("asOf").asText()).isEqualTo("2026-06-01");
  }

  @Test
  void protocolOptionReplacesTheDefaultProtocol() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    JsonNode protocol = assess("--input", dir.toString(), "--as-of", "2026-06-01", "--protocol", "P-STANDARD")
        .single().get("protocol");

    assertThat(protocol.get("id").asText()).isEqualTo("P-STANDARD");
    assertThat(protocol.get("doseMg").asInt()).isEqualTo(40);
    assertThat(protocol.get("rateMgPerHour").isNull()).isTrue();
    assertThat(protocol.get("minutesPerSession").asInt()).isEqualTo(40);
  }

  @Test
  void unknownProtocolIsAUsageErrorNamingTheValidIds() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--protocol", "P-FAST");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.err).contains("P-FAST").contains("P-CRPS").contains("P-SCI").contains("P-STANDARD");
    assertThat(run.out).isEmpty();
  }

  @Test
  void badDateIsAUsageErrorNamingTheOption() throws IOException {
    Run run = assess("--input", dir.toString(), "--as-of", "01/06/2026");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.err).contains("--as-of").contains("01/06/2026");
  }

  @Test
  void missingInputIsNamed() {
    Run run = assess("--input", dir.resolve("nowhere.json").toString());

    assertThat(run.status).isEqualTo(2);
    assertThat(run.err).contains("nowhere.json");
  }

  @Test
  void aMissingInputIsReportedAndEveryOtherInputIsStillAssessed() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.resolve("nowhere.json").toString(), "--input", dir.resolve("p1.json").toString(),
        "--as-of", "2026-06-01");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.lines()).extracting(l -> l.get("patient").asText()).containsExactly("p1");
    assertThat(run.errLines()).singleElement().satisfies(l -> assertThat(l).contains("nowhere.json")
        .contains("no such file").contains("the other inputs are still assessed"));
  }

  @Test
  void aStartBeforeTheAsOfDateIsOneUsageLineNamingTheOptionAndTheFixNeverAMissingPatient() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01", "--start", "2026-05-01");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.errLines()).containsExactly("error: --start 2026-05-01 is before the as-of date 2026-06-01: the first "
        + "session cannot be before the assessment; give a --start on or after 2026-06-01, or leave it out",
        "Run 'ketamine-advisor assess --help' for the options.");
  }

  @Test
  void usageErrorsAreOneLinePlusAPointerToHelpAndExitTwo() throws IOException {
    for (String[] args : List.of(new String[] {"--input", dir.toString(), "--as-of", "2026-13-01"},
        new String[] {"--input", dir.toString(), "--protocol", "P-FAST"},
        new String[] {"--input", dir.toString(), "--frobnicate"},
        new String[] {"--input"})) {
      Run run = assess(args);
      assertThat(run.status).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.errLines()).as(String.join(" ", args)).hasSize(2);
      assertThat(run.errLines().get(0)).startsWith("error: ").doesNotContain("LocalDate").doesNotContain("java.")
          .doesNotContain("Exception");
      assertThat(run.errLines().get(1)).isEqualTo("Run 'ketamine-advisor assess --help' for the options.");
    }
    assertThat(assess("--input", dir.toString(), "--as-of", "2026-13-01").err).contains("--as-of")
        .contains("'2026-13-01' is not a date: use YYYY-MM-DD");
  }

  @Test
  void aFhirBaseThatIsNotAUrlAndAnEmitFolderThatIsAFileAreUsageErrorsNamingTheOption() throws IOException {
    Run notAUrl = assess("--fhir-base", "localhost:8080/fhir", "--patient", "p1");
    assertThat(notAUrl.status).isEqualTo(2);
    assertThat(notAUrl.errLines()).containsExactly("error: --fhir-base localhost:8080/fhir is not a URL: give the "
        + "server's base URL with http:// or https://, e.g. https://ehr.example.org/fhir",
        "Run 'ketamine-advisor assess --help' for the options.");

    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("out.txt"), "");
    Run emitIntoFile = assess("--input", dir.resolve("p1.json").toString(), "--emit-fhir", file.toString());
    assertThat(emitIntoFile.status).isEqualTo(2);
    assertThat(emitIntoFile.errLines().get(0)).isEqualTo("error: --emit-fhir " + file + " is a file, not a folder: "
        + "give a folder to write each patient's Bundle into (it is created when missing)");
  }

  @Test
  void aSingleMissingInputIsNamedWithoutMentioningOtherInputs() {
    Run run = assess("--input", dir.resolve("nowhere.json").toString());

    assertThat(run.status).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("error: " + dir.resolve("nowhere.json")
        + ": no such file or directory");
  }

  @Test
  void aServerWhoseHostDoesNotExistIsNamedAsSuchInOneLine() {
    // .invalid never resolves (RFC 2606)
    Run run = assess("--fhir-base", "http://no-such-host.invalid/fhir", "--patient", "p1", "--max-retries", "0");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.errLines()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("error: could not read the CapabilityStatement of http://no-such-host.invalid/fhir/metadata: "
            + "the server's host name no-such-host.invalid could not be found after 1 try; check the URL")
        .doesNotContain("cut short").doesNotContain("Exception"));
  }

  @Test
  void validateNamesAMissingFileAsMissing() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"validate", dir.resolve("nowhere.json").toString()}, JUNE_FIRST,
        new PrintWriter(out), new PrintWriter(err));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("error: " + dir.resolve("nowhere.json")
        + ": no such file or directory");
  }

  @Test
  void anUnexpectedFailureIsOneLineSayingWhatAndWhere() {
    assertThat(CommandLine.failure(new java.nio.file.FileAlreadyExistsException("/tmp/out")))
        .isEqualTo("/tmp/out: already exists and is not a folder");
    assertThat(CommandLine.failure(new java.nio.file.AccessDeniedException("/root/x")))
        .isEqualTo("/root/x: permission denied");
    assertThat(CommandLine.failure(new NullPointerException())).isEqualTo("internal error (NullPointerException); "
        + "please report it with the command you ran");
  }

  @Test
  void anUnknownCommandListsTheCommandsAndSuggestsTheNearestOne() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"asess", "--input", "x"}, JUNE_FIRST, new PrintWriter(out),
        new PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'asess'").contains("assess, screen, check, validate, backend-key and serve")
        .contains("did you mean assess?").contains("Run 'ketamine-advisor --help'");
    assertThat(out.toString()).isEmpty();
    assertThat(org.ketamineadvisor.advisor.KetamineAdvisorApplication.startsWebApp("asess")).isFalse();
    assertThat(org.ketamineadvisor.advisor.KetamineAdvisorApplication.startsWebApp("serve")).isTrue();
    assertThat(org.ketamineadvisor.advisor.KetamineAdvisorApplication.startsWebApp()).isTrue();
    assertThat(org.ketamineadvisor.advisor.KetamineAdvisorApplication.startsWebApp("--server.port=0")).isTrue();
    assertThat(org.ketamineadvisor.advisor.KetamineAdvisorApplication.startsWebApp("--help")).isFalse();
  }

  @Test
  void helpWrapsOnWordBoundariesWithinEightyColumns() {
    StringWriter out = new StringWriter();
    CommandLine.run(new String[] {"assess", "--help"}, JUNE_FIRST, new PrintWriter(out), new PrintWriter(new StringWriter()));
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
    String text = out.toString();
    // every word of the description survives whole: no word cut in two across lines
    assertThat(text.replaceAll("\\s+", " ")).contains("the rules that depend on it are 'unknown' in the line, never "
        + "'not met'");
  }

  @Test
  void aBirthDateInTheFutureMakesTheAgeUnknownWithAWarningThatNamesNoPatient() throws IOException {
    RecordBundles.aRecordBornOn("p1", java.time.LocalDate.of(2031, 1, 1)).crps("2025-01-10")
        .pastMedication("25480", "gabapentin", "2025-03-01").bloodPressure(128, 82, "2026-05-20")
        .weight("80", "kg", "2026-05-20").painScore(7, "2026-05-20").writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    JsonNode line = run.single();
    assertThat(finding(line, "IND-ADULT").get("outcome").asText()).isEqualTo("unknown");
    assertThat(finding(line, "IND-ADULT").get("detail").asText()).contains("birth date").contains("after the assessment");
    assertThat(line.get("verdict").asText()).isEqualTo("needs-information");
    assertThat(run.errLines()).singleElement().satisfies(l -> assertThat(l).startsWith("warning: ")
        .contains("Patient/p1").contains("birth date lies after the assessment date").doesNotContain("2031"));
    assertThat(run.status).isZero();
  }

  @Test
  void aWeightInAUnitThatDoesNotConvertIsOneWarningLineWithTheResourceId() throws IOException {
    aRecord("p1").crps("2025-01-10").pastMedication("25480", "gabapentin", "2025-03-01")
        .bloodPressure(128, 82, "2026-05-20").painScore(7, "2026-05-20")
        .weight("12", "stones", "2026-05-20")
        .writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(run.errLines()).filteredOn(l -> l.contains("stones")).singleElement()
        .satisfies(l -> assertThat(l).startsWith("warning: ").contains("Observation/"));
  }

  @Test
  void aPatientWithoutAnIdIsOneWarningLineAndTheOtherPatientsAreAssessed() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));
    Files.writeString(dir.resolve("anonymous.ndjson"), "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Doe\"}]}\n");

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(run.lines()).extracting(l -> l.get("patient").asText()).containsExactly("p1");
    assertThat(run.errLines()).singleElement().satisfies(l -> assertThat(l).contains("anonymous.ndjson, line 1")
        .containsIgnoringCase("id").doesNotContain("Doe"));
    assertThat(run.status).isEqualTo(2);
  }

  @Test
  void parserMessagesSayFileLineAndColumnInWords() throws IOException {
    Files.writeString(dir.resolve("broken.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p9\"}\n{\"resourceType\": }\n");
    Files.writeString(dir.resolve("cut.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [");

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l).contains("broken.ndjson, line 2")
        .contains("not valid JSON at column").contains("unexpected '}'").doesNotContain("code 125"));
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l).contains("cut.json").contains("at line 1, column")
        .contains("ends before the JSON is complete"));
    assertThat(run.err).doesNotContain("com.fasterxml").doesNotContain("HAPI-").doesNotContain("Exception");
  }

  @Test
  void badFilesAreNamedWithTheProblemAndEveryOtherPatientIsStillAssessed() throws IOException {
    aRecord("good").typicalCrpsOnOxycodone().writeTo(dir.resolve("good.json"));
    Files.writeString(dir.resolve("broken.json"), "{\"resourceType\": \"Bundle\", \"entry\": [ }");
    Files.writeString(dir.resolve("fruit.json"), "{\"resourceType\": \"Banana\", \"id\": \"b1\"}");
    Files.writeString(dir.resolve("orphans.ndjson"),
        "{\"resourceType\":\"Condition\",\"id\":\"c9\",\"code\":{\"text\":\"CRPS\"}}\n");

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.lines()).extracting(l -> l.get("patient").asText()).containsExactly("good");
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l).contains("broken.json").containsIgnoringCase("json"));
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l).contains("fruit.json").contains("Banana"));
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l).contains("orphans.ndjson").containsIgnoringCase("subject"));
  }

  @Test
  void weightInAnUnknownUnitIsReportedAndNotUsed() throws IOException {
    aRecord("p1").crps("2025-01-10").pastMedication("25480", "gabapentin", "2025-03-01")
        .bloodPressure(128, 82, "2026-05-20").painScore(7, "2026-05-20")
        .weight("12", "stones", "2026-05-20")
        .writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    JsonNode line = run.single();
    assertThat(line.get("verdict").asText()).isEqualTo("needs-information");
    assertThat(rules(line)).contains("DATA-WEIGHT");
    assertThat(line.get("protocol").isNull()).isTrue();
    assertThat(finding(line, "DATA-WEIGHT").get("outcome").asText()).isEqualTo("unknown");
    assertThat(finding(line, "DATA-WEIGHT").get("detail").asText()).contains("stones");
  }

  @Test
  void partialDatesAndAMissingBirthDateDoNotStopTheAssessment() throws IOException {
    aRecordWithoutBirthDate("p1").crps("2025-01").pastMedication("25480", "gabapentin", "2025")
        .bloodPressure(128, 82, "2026-05-20").weight("80", "kg", "2026-05-20").painScore(7, "2026-05-20")
        .writeTo(dir.resolve("p1.json"));

    Run run = assess("--input", dir.toString(), "--as-of", "2026-06-01");

    JsonNode line = run.single();
    assertThat(line.get("verdict").asText()).isEqualTo("needs-information");
    assertThat(finding(line, "IND-ADULT").get("outcome").asText()).isEqualTo("unknown");
    assertThat(finding(line, "IND-NEUROPATHIC").get("outcome").asText()).isEqualTo("met");
    assertThat(finding(line, "IND-PRIOR-THERAPY").get("outcome").asText()).isEqualTo("met");
    assertThat(run.status).isZero();
  }

  @Test
  void emitFhirWritesOneTransactionBundlePerPatient() throws IOException {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));
    Path out = dir.resolve("out");

    Run run = assess("--input", dir.resolve("p1.json").toString(), "--as-of", "2026-06-01", "--emit-fhir", out.toString());

    assertThat(run.status).isZero();
    Bundle bundle = FhirContext.forR4Cached().newJsonParser()
        .parseResource(Bundle.class, Files.readString(out.resolve("p1.json")));
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(bundle.getEntry()).extracting(e -> e.getResource().getResourceType())
        .containsExactlyInAnyOrder(ResourceType.RiskAssessment, ResourceType.CarePlan, ResourceType.Provenance);
  }

  @Test
  void aFiftyMegabyteRecordIsAssessed() throws IOException {
    RecordBundles record = aRecord("big").typicalCrpsOnOxycodone();
    for (int day = 0; day < 140_000; day++) {
      record.weight("80", "kg", java.time.LocalDate.of(2010, 1, 1).plusDays(day % 5000).toString());
    }
    Path file = record.writeTo(dir.resolve("big.json"));
    assertThat(Files.size(file)).isGreaterThan(50_000_000L);

    JsonNode line = assess("--input", file.toString(), "--as-of", "2026-06-01").single();

    assertThat(line.get("verdict").asText()).isEqualTo("suitable-with-precautions");
  }

  private static List<String> rules(JsonNode line) {
    List<String> ids = new ArrayList<>();
    line.get("findings").forEach(f -> ids.add(f.get("rule").asText()));
    return ids;
  }

  private static JsonNode finding(JsonNode line, String rule) {
    for (JsonNode f : line.get("findings")) {
      if (f.get("rule").asText().equals(rule)) {
        return f;
      }
    }
    throw new AssertionError("no finding " + rule + " in " + line);
  }

  private static Run assess(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "assess";
    System.arraycopy(args, 0, all, 1, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(all, JUNE_FIRST, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {
    List<JsonNode> lines() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          try {
            nodes.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
        }
      }
      return nodes;
    }

    List<String> errLines() {
      return List.of(err.split("\n"));
    }

    JsonNode single() {
      List<JsonNode> lines = lines();
      assertThat(lines).as("stdout lines; stderr was: %s", err).hasSize(1);
      return lines.get(0);
    }
  }
}
