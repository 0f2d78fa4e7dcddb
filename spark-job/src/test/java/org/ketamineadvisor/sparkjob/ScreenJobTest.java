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
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
    spark = session(new SparkConf());
  }

  /** The tests' session: {@code conf} plus small local settings and the other-scheme file system. */
  private static SparkSession session(SparkConf conf) {
    return SparkSession.builder().master("local[2]").appName("ScreenJobTest").config(conf)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.hadoop.fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName())
        .config("spark.hadoop.fs." + FailingOnceFileSystem.SCHEME + ".impl", FailingOnceFileSystem.class.getName())
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
  void aSessionWithKryoScreensAsScreenScreensWithTheJobsRegistratorAndIsRefusedWithout() throws IOException {
    spark.stop();
    try {
      spark = session(new SparkConf().set("spark.serializer", ScreenKryo.KRYO_SERIALIZER));
      StringWriter err = new StringWriter();
      assertEquals(2, run(List.of(SYNTHEA), work.resolve("refused"), err));
      assertTrue(err.toString().contains("spark.kryo.registrator=" + ScreenKryo.class.getName()), err.toString());
      assertFalse(Files.exists(work.resolve("refused")), "nothing written");
      spark.stop();
      // as ScreenJob.main makes it: the user's registrator kept, the job's after it
      SparkConf theirs = new SparkConf(false).set(ScreenKryo.REGISTRATOR, "com.example.TheirRegistrator");
      assertEquals("com.example.TheirRegistrator," + ScreenKryo.class.getName(),
          ScreenKryo.added(ScreenKryo.added(theirs)).get(ScreenKryo.REGISTRATOR), "added once, after theirs");
      spark = session(ScreenKryo.added(new SparkConf().set("spark.serializer", ScreenKryo.KRYO_SERIALIZER)));
      sameAsScreen(List.of(SYNTHEA), 0);
    } finally {
      spark.stop();
      spark = session(new SparkConf());
    }
  }

  @Test
  void theShowcasePatientsAreScreenedAsScreenScreensThem() throws IOException {
    ScreenSummary app = sameAsScreen(List.of(SHOWCASE), 0);
    assertTrue(app.assessed() >= 15, "most showcase patients are candidates: " + app.assessed());
    assertFalse(app.worklist().isEmpty());
  }

  @Test
  void aMultipliedExportInSeveralFilesPerTypeSomeGzippedIsScreenedAsScreenScreensIt() throws IOException {
    // a space, % and # in the folders' names: the job's URIs of them must not be escaped twice
    Path export = work.resolve("export dir %#1");
    int patients = NdjsonExport.write(List.of(SHOWCASE), 20, 3, export);
    patients += NdjsonExport.write(List.of(SYNTHEA), 1, 2, export.resolve("synthea"));
    ScreenSummary app = sameAsScreen(List.of(export), 0);
    assertEquals(patients, app.patients());
    assertTrue(app.assessed() > 300, "the copies are assessed: " + app.assessed());
  }

  @Test
  void anExportOnAnotherFileSystemIsReadAndWrittenThroughHadoop() throws IOException {
    Path export = work.resolve("export dir %#1");
    NdjsonExport.write(List.of(SHOWCASE), 2, 2, export);
    Path appOut = work.resolve("app");
    ScreenSummary app = new Screening(ValueSetTerminology.loadDefault(), new PrintWriter(Writer.nullWriter()))
        .run(List.of(export), appOut, AS_OF);
    Path out = work.resolve("job out %#1");
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
  void aFileSystemThatFailsMidFileFailsTheJobLoudlyNotSilentlyShort() throws IOException {
    // local[2] runs a task once: the census task's broken read must fail the job, not count the file's patients as
    // never seen (on a cluster, Spark runs the task again and the read works)
    Path export = work.resolve("flaky");
    NdjsonExport.write(List.of(SHOWCASE), 1, 1, export);
    StringWriter err = new StringWriter();
    int status = ScreenJob.run(spark, new PrintWriter(err, true), "--input", FailingOnceFileSystem.SCHEME + "://"
        + export.toAbsolutePath(), "--out", work.resolve("out").toString(), "--as-of", AS_OF.toString());
    assertEquals(1, status, err.toString());
    List<String> errors = err.toString().lines().filter(line -> line.startsWith("error:")).toList();
    assertEquals(1, errors.size(), err.toString());
    assertTrue(errors.get(0).contains("could not be read from its file system (read timed out)"), err.toString());
    assertFalse(err.toString().contains("\tat "), "one line, no stack trace: " + err);
    assertFalse(Files.exists(work.resolve("out/screen.ndjson")), "nothing written");
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
    String problems = Files.readString(work.resolve("job out %#1/problems.txt"));
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
    // patient 'nobody' has no Patient resource: the files are read a third time, counted once (census + read)
    long stored = 0;
    try (Stream<Path> files = Files.list(export)) {
      for (Path file : files.toList()) {
        stored += Files.size(file);
      }
    }
    JsonNode metrics = JSON.readTree(work.resolve("job out %#1/spark-metrics.json").toFile());
    assertEquals(2 * stored, metrics.path("bytes").asLong(), metrics.toString());
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
    StringWriter date = new StringWriter();
    assertEquals(2, ScreenJob.run(spark, new PrintWriter(date), "--input", SHOWCASE.toString(), "--out",
        work.toString(), "--as-of", "2026-13-01"));
    assertTrue(date.toString().contains("'2026-13-01' is not a date: use YYYY-MM-DD"), date.toString());
    assertFalse(date.toString().contains("--local-codes"), "one line, not the whole usage: " + date);
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
  void aJobThatFailsPuttingItsOutputsInPlaceLeavesTheEarlierOnesWholeAndSaysSo() throws IOException {
    Path out = work.resolve("out");
    String outUri = OtherSchemeFileSystem.SCHEME + "://" + out.toAbsolutePath();
    assertEquals(0, ScreenJob.run(spark, new PrintWriter(new StringWriter()), "--input", SHOWCASE.toString(),
        "--out", outUri, "--as-of", AS_OF.toString()));
    Map<String, String> before = new LinkedHashMap<>();
    for (String name : List.of("screen.ndjson", "worklist.csv", "problems.txt", "summary.html", "counts.json")) {
      before.put(name, Files.readString(out.resolve(name)));
    }
    long rows = spark.read().parquet(out.resolve("parquet").toString()).count();
    Path small = work.resolve("small");
    NdjsonExport.write(List.of(SHOWCASE), 1, 1, small);
    // counts.json is put in place after the text files and parquet/: those must go back
    OtherSchemeFileSystem.refuseRenamesTo = "counts.json";
    StringWriter err = new StringWriter();
    try {
      assertEquals(1, ScreenJob.run(spark, new PrintWriter(err, true), "--input", small.toString(), "--out", outUri,
          "--as-of", AS_OF.toString()));
    } finally {
      OtherSchemeFileSystem.refuseRenamesTo = null;
    }
    assertTrue(err.toString().contains("could not move counts.json into place; nothing in the folder was replaced "
        + "(the earlier outputs are kept)"), err.toString());
    before.forEach((name, text) -> assertEquals(text, readString(out.resolve(name)), name));
    assertEquals(rows, spark.read().parquet(out.resolve("parquet").toString()).count());
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("."))
          .toList(), "no part or old files left over");
    }
  }

  @Test
  void parquetRowsThatAreNotTheAssessedPatientsFailTheJob() throws IOException {
    // a local --out on a cluster: each executor writes its rows on its own disk; the driver sees only some
    String folder = work.resolve("parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create("p1", "suitable", new String[0], new String[0], new String[0],
        true, null, null, null, java.sql.Date.valueOf(AS_OF), "rules", "f")), ScreenParquet.SCHEMA).write()
        .parquet(folder);
    ScreenParquet.checkRows(spark, folder, 1, "out");
    IOException short1 = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> ScreenParquet.checkRows(spark, folder, 2, "/tmp/out"));
    assertTrue(short1.getMessage().contains("parquet/ holds 1 row(s) but 2 patient(s) were assessed"),
        short1.getMessage());
    assertTrue(short1.getMessage().contains("(/tmp/out is not)"), short1.getMessage());
  }

  @Test
  void aLocalOutWithAClusterMasterIsRefusedUnlessSaidToBeShared() {
    OutFolder local = OutFolder.of(work.resolve("out").toString(), spark.sparkContext().hadoopConfiguration());
    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> JobRequest.checkOutShared("spark://cluster:7077", local, false));
    assertTrue(refused.getMessage().contains("give --out as a URI of a file system they all share"),
        refused.getMessage());
    JobRequest.checkOutShared("spark://cluster:7077", local, true);
    JobRequest.checkOutShared("local[2]", local, false);
    JobRequest.checkOutShared("yarn", OutFolder.of(OtherSchemeFileSystem.SCHEME + "://" + work.toAbsolutePath(),
        spark.sparkContext().hadoopConfiguration()), false);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
    Path jobOut = work.resolve("job out %#1");
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
