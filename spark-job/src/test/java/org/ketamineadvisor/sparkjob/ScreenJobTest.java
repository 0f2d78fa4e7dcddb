package org.ketamineadvisor.sparkjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.screen.Screening;
import org.ketamineadvisor.advisor.terminology.LocalCodes;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The job in Spark's local mode against the app's own {@code screen} (the real {@link Screening}, from the core jar)
 * on the same files: every patient's screen.ndjson line, worklist.csv, problems.txt and the counts must be the same.
 */
class ScreenJobTest {

  private static final LocalDate AS_OF = LocalDate.parse("2026-06-01");
  private static final Path SYNTHEA = Path.of("..", "src/test/resources/synthea");
  private static final Path SHOWCASE = Path.of("..", "launch/sandbox");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SparkSession spark;

  @TempDir
  Path work;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("ScreenJobTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.hadoop.fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName())
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void theSyntheaSetIsScreenedAsScreenScreensIt() throws IOException {
    ScreenSummary app = sameAsScreen(List.of(SYNTHEA), 0);
    assertEquals(15, app.patients());
    assertTrue(app.candidates() > 0, "the Synthea set has candidates");
  }

  @Test
  void theShowcasePatientsAreScreenedAsScreenScreensThem() throws IOException {
    ScreenSummary app = sameAsScreen(List.of(SHOWCASE), 0);
    assertTrue(app.assessed() >= 15, "most showcase patients are candidates: " + app.assessed());
    assertFalse(app.worklist().isEmpty());
  }

  @Test
  void aMultipliedExportInSeveralFilesPerTypeSomeGzippedIsScreenedAsScreenScreensIt() throws IOException {
    Path export = work.resolve("export");
    int patients = NdjsonExport.write(List.of(SHOWCASE), 20, 3, export);
    patients += NdjsonExport.write(List.of(SYNTHEA), 1, 2, export.resolve("synthea"));
    ScreenSummary app = sameAsScreen(List.of(export), 0);
    assertEquals(patients, app.patients());
    assertTrue(app.assessed() > 300, "the copies are assessed: " + app.assessed());
  }

  @Test
  void anExportOnAnotherFileSystemIsReadAndWrittenThroughHadoop() throws IOException {
    Path export = work.resolve("export");
    NdjsonExport.write(List.of(SHOWCASE), 2, 2, export);
    Path appOut = work.resolve("app");
    ScreenSummary app = new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(Writer.nullWriter()))
        .run(List.of(export), appOut, AS_OF);
    Path out = work.resolve("job");
    String scheme = OtherSchemeFileSystem.SCHEME + "://";
    StringWriter err = new StringWriter();
    assertEquals(0, ScreenJob.run(spark, new PrintWriter(err, true), "--input", scheme + export.toAbsolutePath(),
        "--out", scheme + out.toAbsolutePath(), "--as-of", AS_OF.toString()), err.toString());
    for (String file : List.of("screen.ndjson", "worklist.csv")) {
      assertEquals(Files.readString(appOut.resolve(file)), Files.readString(out.resolve(file)), file);
    }
    // the same problems, under the files' URIs
    assertEquals(Files.readString(appOut.resolve("problems.txt")).replace(export.toString(),
        scheme + export.toAbsolutePath()), Files.readString(out.resolve("problems.txt")));
    JsonNode counts = JSON.readTree(out.resolve("counts.json").toFile());
    assertEquals(app.patients(), counts.path("patients").asLong());
    assertEquals(app.assessed(), counts.path("assessed").asLong());
    assertEquals(app.assessed(), spark.read().parquet(scheme + out.resolve("parquet").toAbsolutePath()).count());
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of("counts.json", "parquet", "problems.txt", "screen.ndjson", "spark-metrics.json",
          "summary.html", "worklist.csv"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void siteCodesFindTheCandidatesTheyAddAsScreenFindsThem() throws IOException {
    Path export = work.resolve("coded");
    Files.createDirectories(export);
    Files.writeString(export.resolve("Patient.ndjson"), String.join("\n",
        "{\"resourceType\":\"Patient\",\"id\":\"p-local\",\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}",
        "{\"resourceType\":\"Patient\",\"id\":\"p-other\",\"gender\":\"male\",\"birthDate\":\"1971-01-01\"}")
        + "\n");
    Files.writeString(export.resolve("Condition.ndjson"), "{\"resourceType\":\"Condition\",\"id\":\"c1\","
        + "\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\","
        + "\"code\":\"active\"}]},\"code\":{\"coding\":[{\"system\":\"urn:oid:1.2.3\",\"code\":\"NP1\"}]},"
        + "\"subject\":{\"reference\":\"Patient/p-local\"},\"onsetDateTime\":\"2020-01-01\"}\n");
    Path siteCodes = Files.writeString(work.resolve("site-codes.tsv"), "valueSet\tsystem\tcode\tdisplay\tgroup\n"
        + "neuropathic-pain-indications\turn:oid:1.2.3\tNP1\tLocal neuropathic pain\tcrps\n");
    ScreenSummary app = sameAsScreen(List.of(export), 0, new StringWriter(), siteCodes);
    assertEquals(2, app.patients());
    assertEquals(1, app.candidates(), "the site's code makes p-local a candidate");
  }

  @Test
  void badLinesAreReportedWithFileAndLineAndEveryOtherPatientIsScreened() throws IOException {
    Path export = work.resolve("bad");
    NdjsonExport.write(List.of(SHOWCASE), 1, 1, export);
    Path conditions = Files.list(export).filter(f -> f.getFileName().toString().startsWith("Condition"))
        .findFirst().orElseThrow();
    // gzipped part 0: put the bad lines in a plain file of their own, after the good ones
    Path bad = export.resolve("Observation-9.ndjson");
    String candidate = firstLine(conditions).path("subject").path("reference").asText();
    Files.writeString(bad, String.join("\n",
        "{\"resourceType\":\"Observation\",\"id\":\"broken\",\"status\":",
        "{\"resourceType\":\"Banana\",\"id\":\"b1\"}",
        "{\"resourceType\":\"Observation\",\"id\":\"bad-date\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
            + "\"http://loinc.org\",\"code\":\"29463-7\"}]},\"subject\":{\"reference\":\"" + candidate + "\"},"
            + "\"effectiveDateTime\":\"yesterday\",\"valueQuantity\":{\"value\":\"heavy\",\"unit\":\"kg\"}}",
        "{\"resourceType\":\"Condition\",\"id\":\"orphan\",\"subject\":{\"reference\":\"Patient/nobody\"},"
            + "\"code\":{\"text\":\"x\"}}") + "\n", StandardCharsets.UTF_8);
    StringWriter err = new StringWriter();
    ScreenSummary app = sameAsScreen(List.of(export), 2, err);
    String problems = Files.readString(work.resolve("job/problems.txt"));
    String name = bad.toString();
    assertTrue(problems.contains("error: " + name + ", line 1: not valid JSON"), problems);
    assertTrue(problems.contains("error: " + name + ", line 2: resourceType 'Banana' is not a FHIR R4 resource"),
        problems);
    assertTrue(problems.contains("error: " + name + ", line 3: Observation/bad-date"), problems);
    assertTrue(problems.contains("error: " + name + ", line 4: 1 resource(s) such as Condition/orphan refer to "
        + "patient 'nobody' but no input holds Patient/nobody"), problems);
    assertTrue(err.toString().contains("the first at: " + name + ", line 1"), err.toString());
    assertFalse(err.toString().contains("nobody"), "no patient id on stderr");
    assertEquals(19, app.patients());
    assertEquals(app.candidates(), app.assessed(), "every other candidate is still screened");
  }

  @Test
  void anInputThatDoesNotExistIsAClearUsageError() {
    StringWriter err = new StringWriter();
    Path missing = work.resolve("no-such-export");
    int status = ScreenJob.run(spark, new PrintWriter(err), "--input", missing.toString(), "--out",
        work.resolve("out").toString());
    assertEquals(2, status);
    assertTrue(err.toString().contains("--input " + missing + ": no such file or folder; check the path"),
        err.toString());
    assertFalse(Files.exists(work.resolve("out")), "nothing written");
  }

  @Test
  void badOptionsAreUsageErrors() {
    StringWriter err = new StringWriter();
    assertEquals(2, ScreenJob.run(spark, new PrintWriter(err), "--input", SHOWCASE.toString(), "--out",
        work.toString(), "--partitions", "0"));
    assertTrue(err.toString().contains("--partitions 0: give 1 or more"), err.toString());
    assertEquals(2, ScreenJob.run(spark, new PrintWriter(new StringWriter()), "--input", SHOWCASE.toString()));
  }

  @Test
  void aSecondRunOverTheSameOutReplacesEveryOutput() throws IOException {
    Path out = work.resolve("out");
    assertEquals(0, run(List.of(SHOWCASE), out, new StringWriter()));
    long firstRows = spark.read().parquet(out.resolve("parquet").toString()).count();
    Path one = work.resolve("one");
    Files.createDirectories(one);
    try (Stream<Path> files = Files.list(SHOWCASE)) {
      Files.copy(files.filter(f -> f.getFileName().toString().equals("crps-suitable.json")).findFirst()
          .orElseThrow(), one.resolve("crps-suitable.json"));
    }
    assertEquals(0, run(List.of(one), out, new StringWriter()));
    assertEquals(1, Files.readAllLines(out.resolve("screen.ndjson")).size());
    assertEquals(1, spark.read().parquet(out.resolve("parquet").toString()).count());
    assertTrue(firstRows > 1);
    JsonNode counts = JSON.readTree(out.resolve("counts.json").toFile());
    assertEquals(1, counts.path("patients").asLong());
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of("counts.json", "parquet", "problems.txt", "screen.ndjson", "spark-metrics.json",
          "summary.html", "worklist.csv"), left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no part files left over");
    }
  }

  @Test
  void aJobThatFailsWritingLeavesTheEarlierOutputsWhole() throws IOException {
    Path out = work.resolve("out");
    assertEquals(0, run(List.of(SHOWCASE), out, new StringWriter()));
    String counts = Files.readString(out.resolve("counts.json"));
    String worklist = Files.readString(out.resolve("worklist.csv"));
    long rows = spark.read().parquet(out.resolve("parquet").toString()).count();
    // screen.ndjson cannot be replaced by a file now: the job fails while writing
    Files.delete(out.resolve("screen.ndjson"));
    Files.createDirectories(out.resolve("screen.ndjson").resolve("in-the-way"));
    Path small = work.resolve("small");
    NdjsonExport.write(List.of(SHOWCASE), 1, 1, small);
    StringWriter err = new StringWriter();
    assertEquals(1, run(List.of(small), out, err));
    assertTrue(err.toString().contains("earlier outputs there are kept"), err.toString());
    assertEquals(counts, Files.readString(out.resolve("counts.json")));
    assertEquals(worklist, Files.readString(out.resolve("worklist.csv")));
    assertEquals(rows, spark.read().parquet(out.resolve("parquet").toString()).count());
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("."))
          .toList(), "no part files left over");
    }
  }

  /** Runs screen and the job on {@code inputs}; asserts the same outputs and exit status; returns screen's counts. */
  private ScreenSummary sameAsScreen(List<Path> inputs, int status) throws IOException {
    return sameAsScreen(inputs, status, new StringWriter());
  }

  private ScreenSummary sameAsScreen(List<Path> inputs, int status, StringWriter err) throws IOException {
    return sameAsScreen(inputs, status, err, null);
  }

  /** With {@code siteCodes} (null: none), as {@code --local-codes} for both. */
  private ScreenSummary sameAsScreen(List<Path> inputs, int status, StringWriter err, Path siteCodes)
      throws IOException {
    Path appOut = work.resolve("app");
    Path jobOut = work.resolve("job");
    ScreenSummary app = new Screening(siteCodes == null ? ValueSetTerminology.loadDefault()
        : ValueSetTerminology.load(LocalCodes.read(siteCodes)), new PrintWriter(Writer.nullWriter()))
        .run(inputs, appOut, AS_OF);
    List<String> options = siteCodes == null ? List.of() : List.of("--local-codes", siteCodes.toString());
    assertEquals(status, run(inputs, jobOut, err, options), err.toString());

    Map<String, String> expected = linesByPatient(appOut.resolve("screen.ndjson"));
    Map<String, String> actual = linesByPatient(jobOut.resolve("screen.ndjson"));
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "the same patients, in the same order");
    expected.forEach((patient, line) -> assertEquals(line, actual.get(patient), "patient " + patient));
    assertEquals(Files.readString(appOut.resolve("screen.ndjson")), Files.readString(jobOut.resolve("screen.ndjson")));
    assertEquals(Files.readString(appOut.resolve("worklist.csv")), Files.readString(jobOut.resolve("worklist.csv")));
    assertEquals(Files.readString(appOut.resolve("problems.txt")), Files.readString(jobOut.resolve("problems.txt")));
    assertEquals(CountsJson.of(app), Files.readString(jobOut.resolve("counts.json")));

    List<Row> rows = spark.read().parquet(jobOut.resolve("parquet").toString()).orderBy("patient_id").collectAsList();
    assertEquals(List.copyOf(expected.keySet()), rows.stream().map(r -> r.getString(0)).toList());
    for (Row row : rows) {
      JsonNode line = JSON.readTree(expected.get(row.getString(0)));
      assertEquals(line.path("verdict").asText(), row.getAs("verdict"));
      assertEquals(JSON.convertValue(line.path("deciding"), List.class), row.getList(row.fieldIndex("deciding")));
      assertEquals(AS_OF, row.getDate(row.fieldIndex("as_of")).toLocalDate());
    }
    JsonNode metrics = JSON.readTree(jobOut.resolve("spark-metrics.json").toFile());
    assertEquals(app.patients(), metrics.path("patients").asLong());
    assertEquals(app.candidates(), metrics.path("candidates").asLong());
    assertTrue(metrics.path("records").asLong() >= app.patients(), metrics.toString());
    for (String phase : List.of("census", "read", "group", "assess", "write")) {
      assertTrue(metrics.path("phaseWallMillis").has(phase), phase + " in " + metrics);
    }
    return app;
  }

  private static int run(List<Path> inputs, Path out, StringWriter err) {
    return run(inputs, out, err, List.of());
  }

  private static int run(List<Path> inputs, Path out, StringWriter err, List<String> options) {
    List<String> args = new ArrayList<>(options);
    inputs.forEach(input -> args.addAll(List.of("--input", input.toString())));
    args.addAll(List.of("--out", out.toString(), "--as-of", AS_OF.toString(), "--partitions", "3"));
    return ScreenJob.run(spark, new PrintWriter(err, true), args.toArray(String[]::new));
  }

  private static Map<String, String> linesByPatient(Path ndjson) throws IOException {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ndjson)) {
      lines.put(JSON.readTree(line).path("patient").asText(), line);
    }
    return lines;
  }

  private static JsonNode firstLine(Path ndjsonGz) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(ndjsonGz))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return JSON.readTree(text.substring(0, text.indexOf('\n')));
    }
  }
}
