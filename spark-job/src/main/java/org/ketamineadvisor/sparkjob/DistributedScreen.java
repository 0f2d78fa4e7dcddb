package org.ketamineadvisor.sparkjob;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.ketamineadvisor.advisor.fhir.files.FhirFileCensus;
import org.ketamineadvisor.advisor.fhir.files.KeptResources;
import org.ketamineadvisor.advisor.fhir.files.MedicationStash;
import org.ketamineadvisor.advisor.fhir.files.PatientParser;
import org.ketamineadvisor.advisor.fhir.files.SpooledResource;
import org.ketamineadvisor.advisor.screen.CandidateCensus;
import org.ketamineadvisor.advisor.screen.PatientScreen;
import org.ketamineadvisor.advisor.screen.ScreenOutputs;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.screen.ScreenedPatient;
import org.ketamineadvisor.advisor.screen.WrittenCodes;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Terminology;
import scala.Tuple2;

/**
 * The screen spread over a Spark cluster: the same two passes as {@code screen} (census, then the candidates' records
 * read and assessed), each step the app's own code, run where the data is.
 * <ol>
 *   <li><b>List</b> (driver): the export's files through Hadoop, with the app's file-name rules
 *       ({@link ExportListing}).</li>
 *   <li><b>Census</b> (one task per file): the app's census ({@link FhirFileCensus}, Jackson tokens) gives each file's
 *       Patient ids and the patients with a Condition in IND-NEUROPATHIC ({@link CandidateCensus#isCandidateCondition});
 *       reduced by patient id (a shuffle), so every patient is counted once. The candidates' ids (few) are collected
 *       and broadcast.</li>
 *   <li><b>Read</b> (one task per file): the app's reader ({@link org.ketamineadvisor.advisor.fhir.files.FhirFileReader#keep})
 *       keeps the candidates' resources, with the Observation filter of the screen, each with its file and line;
 *       every Medication; every problem with the file. A patient asked about but not wanted is noted: those without a
 *       Patient resource anywhere (found by a join with the census) are read too, as {@code screen} reads them, in a
 *       second read that happens only when there are any. Medications (no patient; few) are collected and broadcast,
 *       as the app's {@link MedicationStash}.</li>
 *   <li><b>Group</b>: the kept resources sorted by patient id (a range-partitioned shuffle), so each patient's
 *       resources lie together in one partition and the partitions follow each other in id order.</li>
 *   <li><b>Assess</b> (per partition): each patient's resources in reading order are parsed ({@link PatientParser})
 *       and screened ({@link PatientScreen}) on the executor that holds them.</li>
 *   <li><b>Write</b>: the executors write the Parquet rows; the driver streams the screened patients in id order
 *       ({@code toLocalIterator}, a partition at a time, never all at once) into the app's {@link ScreenOutputs}, which
 *       writes screen.ndjson, worklist.csv, problems.txt and summary.html exactly as {@code screen} does and counts
 *       them (the counts are those of the lines written), then counts.json and spark-metrics.json.</li>
 * </ol>
 * Each phase's result is materialised before the next, so that {@link JobMetrics} can say where the time went. Memory:
 * the candidates' ids are held by every executor (as by the app's census); a file's kept resources by its task.
 */
final class DistributedScreen {

  private static final byte PATIENT = 1;
  private static final byte CANDIDATE = 2;
  private static final byte ASKED = 4;

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final JobRequest request;
  private final PrintWriter progress;
  private final int partitions;

  DistributedScreen(SparkSession spark, JobRequest request, PrintWriter progress) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.request = request;
    this.progress = progress;
    this.partitions = request.partitions() != null ? request.partitions() : jsc.defaultParallelism();
  }

  ScreenSummary run() throws IOException {
    Configuration hadoop = jsc.hadoopConfiguration();
    // what the executors and the driver create is the owner's only, as the app's screen output
    hadoop.set("fs.permissions.umask-mode", "077");
    JobMetrics metrics = new JobMetrics(jsc.sc());
    ExportListing.Listed listed = metrics.phase("list", () -> {
      try {
        return ExportListing.list(request.inputs(), hadoop);
      } catch (IOException e) {
        throw new UncheckedIOException("the export could not be listed (" + e.getMessage() + ")", e);
      }
    });
    say("screen-spark: " + listed.files().size() + " file(s) in " + request.inputs().size() + " input(s), "
        + partitions + " partition(s); census: finding patients with a neuropathic pain condition");
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
    JavaRDD<ExportFile> files = jsc.parallelize(listed.files(), Math.max(1, listed.files().size()));
    JobRequest.LocalCodesText codes = request.localCodes();

    long censusStart = System.nanoTime();
    JavaPairRDD<String, Byte> census = files.mapPartitionsToPair(census(conf, codes, metrics))
        .reduceByKey(DistributedScreen::either, partitions).persist(StorageLevel.MEMORY_AND_DISK());
    Map<Byte, Long> flags = metrics.phase("census", () -> census.values().countByValue());
    long patients = flags.entrySet().stream().filter(e -> (e.getKey() & PATIENT) != 0)
        .mapToLong(Map.Entry::getValue).sum();
    long candidates = flags.getOrDefault((byte) (PATIENT | CANDIDATE), 0L);
    Set<String> wanted = metrics.phase("census", () -> new HashSet<>(
        census.filter(t -> (t._2() & CANDIDATE) != 0).keys().collect()));
    Duration censusTime = Duration.ofNanos(System.nanoTime() - censusStart);
    say("screen-spark: census done in " + seconds(censusTime) + ": " + patients + " patients, " + candidates
        + " candidate(s) to assess");

    JavaRDD<KeptLine> kept = metrics.phase("read", () -> {
      JavaRDD<KeptLine> read = keep(files, conf, codes, wanted, true, metrics);
      // patients whose resources have no Patient resource anywhere: read in full, as screen reads them, so that
      // their problem says so
      List<String> orphans = read.filter(k -> k.kind() == KeptLine.Kind.ASKED)
          .mapToPair(k -> new Tuple2<>(k.patientId(), ASKED)).union(census)
          .reduceByKey(DistributedScreen::either, partitions).filter(t -> t._2() == ASKED).keys().collect();
      if (orphans.isEmpty()) {
        return read;
      }
      read.unpersist();
      Set<String> orphansToo = new HashSet<>(wanted);
      orphansToo.addAll(orphans);
      return keep(files, conf, codes, orphansToo, false, metrics);
    });
    census.unpersist();
    MedicationStash medications = metrics.phase("read", () -> {
      MedicationStash stash = new MedicationStash();
      kept.filter(k -> k.kind() == KeptLine.Kind.MEDICATION).collect().stream()
          .sorted(Comparator.comparingLong(KeptLine::order)).forEach(k -> stash.add(k.resource(), k.inBundle()));
      return stash;
    });
    Broadcast<MedicationStash> stash = jsc.broadcast(medications);

    JavaPairRDD<String, KeptLine> byPatient = metrics.phase("group", () -> {
      JavaPairRDD<String, KeptLine> sorted = kept.filter(k -> k.kind() == KeptLine.Kind.RESOURCE)
          .mapToPair(k -> new Tuple2<>(k.patientId(), k)).sortByKey(true, partitions)
          .persist(StorageLevel.MEMORY_AND_DISK_SER());
      sorted.count();
      return sorted;
    });
    JavaRDD<ScreenedPatient> screened = metrics.phase("assess", () -> {
      JavaRDD<ScreenedPatient> done = byPatient.mapPartitions(assess(stash, codes, request, metrics))
          .persist(StorageLevel.MEMORY_AND_DISK_SER());
      done.count();
      return done;
    });
    byPatient.unpersist();
    JavaRDD<KeptLine> fileProblems = kept.filter(k -> k.kind() == KeptLine.Kind.PROBLEM)
        .sortBy(KeptLine::order, true, partitions);

    try {
      ScreenSummary summary = metrics.phase("write", () -> {
        try {
          return write(listed, fileProblems, screened, patients, candidates, censusTime, metrics, hadoop);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      int executors = Math.max(1, spark.sparkContext().statusTracker().getExecutorInfos().length - 1);
      request.out().writeText("spark-metrics.json", metrics.json(patients, candidates, summary.assessed(), executors,
          partitions, listed.files().size(), spark.sparkContext().master()), hadoop);
      say(metrics.line(patients, candidates));
      return summary;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      kept.unpersist();
      screened.unpersist();
      stash.destroy();
      conf.destroy();
    }
  }

  /**
   * Writes the outputs: Parquet first (under a temporary name), then the driver's files in id order through the
   * app's {@link ScreenOutputs}, then the Parquet folder moved in place and counts.json: nothing earlier is replaced
   * until everything is written.
   */
  private ScreenSummary write(ExportListing.Listed listed, JavaRDD<KeptLine> fileProblems,
      JavaRDD<ScreenedPatient> screened, long patients, long candidates, Duration censusTime, JobMetrics metrics,
      Configuration hadoop) throws IOException {
    OutFolder out = request.out();
    out.create(hadoop);
    org.apache.hadoop.fs.Path parquetPart = out.hadoopChild(".parquet-" + UUID.randomUUID() + ".part");
    Path staging = out.local() ? out.localPath() : Files.createTempDirectory("ketamine-screen-spark-");
    try {
      ScreenParquet.write(spark, screened, request.asOf(), parquetPart.toString());
      ScreenOutputs outputs = new ScreenOutputs(staging, candidates, progress);
      try (outputs) {
        listed.problems().forEach(outputs::inputProblem);
        fileProblems.toLocalIterator().forEachRemaining(k -> outputs.inputProblem(k.problem()));
        screened.toLocalIterator().forEachRemaining(outputs::patient);
        outputs.finish();
      }
      ScreenSummary summary = outputs.summarize(request.asOf(), request.inputs().stream()
          .map(input -> ExportListing.isLocal(input) && !input.startsWith("file:") ? Path.of(input).toString()
              : input).toList(), patients, censusTime, Duration.ofMillis(metrics.totalMillis()), List.of());
      if (!out.local()) {
        for (String name : List.of("screen.ndjson", "worklist.csv", "problems.txt", "summary.html")) {
          out.publish(staging.resolve(name), name, hadoop);
        }
      }
      out.replaceFolder(parquetPart, "parquet", hadoop);
      out.writeText("counts.json", CountsJson.of(summary), hadoop);
      return summary;
    } finally {
      parquetPart.getFileSystem(hadoop).delete(parquetPart, true);
      if (!out.local()) {
        try (var left = Files.walk(staging)) {
          left.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }

  /** The census of each file: patient id → {@link #PATIENT} and/or {@link #CANDIDATE}, once per id per file. */
  private static PairFlatMapFunction<Iterator<ExportFile>, String, Byte> census(
      Broadcast<SerializableConfiguration> conf, JobRequest.LocalCodesText codes, JobMetrics metrics) {
    return files -> {
      Terminology terminology = ExecutorCore.terminology(codes);
      java.util.Map<String, Byte> found = new java.util.HashMap<>();
      long[] resources = {0};
      while (files.hasNext()) {
        ExportFile file = files.next();
        long start = System.nanoTime();
        long[] bytes = {0};
        ExecutorCore.census(codes).count(file.open(conf.value().value(), bytes), new FhirFileCensus.Listener() {
          @Override
          public void patient(String patientId) {
            found.merge(patientId, PATIENT, DistributedScreen::either);
          }

          @Override
          public void condition(String patientId, List<Code> codings) {
            if (CandidateCensus.isCandidateCondition(terminology, codings)) {
              found.merge(patientId, CANDIDATE, DistributedScreen::either);
            }
          }

          @Override
          public void resourceFound() {
            resources[0]++;
          }
        });
        metrics.bytes.add(bytes[0]);
        metrics.censusNanos.add(System.nanoTime() - start);
      }
      metrics.resources.add(resources[0]);
      return found.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
    };
  }

  /** The second pass over every file: the {@code wanted} patients' resources, Medications, problems. */
  private JavaRDD<KeptLine> keep(JavaRDD<ExportFile> files, Broadcast<SerializableConfiguration> conf,
      JobRequest.LocalCodesText codes, Set<String> wanted, boolean noteAsked, JobMetrics metrics) {
    Broadcast<Set<String>> wantedIds = jsc.broadcast(wanted);
    JavaRDD<KeptLine> read = files.mapPartitions(keepTask(conf, codes, wantedIds, noteAsked, metrics))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    read.count();
    return read;
  }

  private static FlatMapFunction<Iterator<ExportFile>, KeptLine> keepTask(Broadcast<SerializableConfiguration> conf,
      JobRequest.LocalCodesText codes, Broadcast<Set<String>> wantedIds, boolean noteAsked, JobMetrics metrics) {
    return files -> {
      Set<String> wanted = wantedIds.value();
      List<KeptLine> out = new ArrayList<>();
      Set<String> asked = new HashSet<>();
      java.util.function.Predicate<List<Code>> observations =
          WrittenCodes.observationsTheRulesRead(ExecutorCore.terminology(codes));
      while (files.hasNext()) {
        ExportFile file = files.next();
        long start = System.nanoTime();
        long[] bytes = {0};
        long[] position = {0};
        KeptResources sink = new KeptResources() {
          @Override
          public void resource(String patientId, SpooledResource resource) {
            metrics.kept.add(1);
            out.add(KeptLine.resource(patientId, KeptLine.order(file.index(), position[0]++), resource));
          }

          @Override
          public void medication(SpooledResource medication, boolean inBundle) {
            out.add(KeptLine.medication(KeptLine.order(file.index(), position[0]++), medication, inBundle));
          }
        };
        ExecutorCore.reader(codes).keep(file.open(conf.value().value(), bytes), patientId -> {
          if (wanted.contains(patientId)) {
            return true;
          }
          if (noteAsked) {
            asked.add(patientId);
          }
          return false;
        }, observations, sink, problem -> out.add(KeptLine.problem(KeptLine.order(file.index(), position[0]++),
            problem)));
        metrics.bytes.add(bytes[0]);
        metrics.keepNanos.add(System.nanoTime() - start);
      }
      asked.forEach(id -> out.add(KeptLine.asked(id)));
      return out.iterator();
    };
  }

  /** Parses and screens each patient of a partition sorted by patient id, in that order. */
  private static FlatMapFunction<Iterator<Tuple2<String, KeptLine>>, ScreenedPatient> assess(
      Broadcast<MedicationStash> stash, JobRequest.LocalCodesText codes, JobRequest request, JobMetrics metrics) {
    java.time.LocalDate asOf = request.asOf();
    return records -> {
      PatientParser parser = ExecutorCore.parser();
      PatientScreen screen = ExecutorCore.screen(codes, asOf);
      MedicationStash medications = stash.value();
      return new PatientGroups(records) {
        @Override
        ScreenedPatient screen(String patientId, List<SpooledResource> resources) {
          long start = System.nanoTime();
          PatientParser.ParsedPatient parsed = parser.parse(patientId, resources, medications);
          long parsedAt = System.nanoTime();
          ScreenedPatient result = screen.screen(patientId, parsed);
          metrics.parseNanos.add(parsedAt - start);
          metrics.assessNanos.add(System.nanoTime() - parsedAt);
          return result;
        }
      };
    };
  }

  /**
   * A partition's records, sorted by patient id, as one screened patient per id: each patient's resources gathered
   * (they lie together) and put back in reading order before they are screened; one patient in memory at a time.
   */
  private abstract static class PatientGroups implements Iterator<ScreenedPatient> {
    private final Iterator<Tuple2<String, KeptLine>> records;
    private Tuple2<String, KeptLine> next;

    PatientGroups(Iterator<Tuple2<String, KeptLine>> records) {
      this.records = records;
      this.next = records.hasNext() ? records.next() : null;
    }

    abstract ScreenedPatient screen(String patientId, List<SpooledResource> resources);

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public ScreenedPatient next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      String patientId = next._1();
      List<KeptLine> lines = new ArrayList<>();
      while (next != null && next._1().equals(patientId)) {
        lines.add(next._2());
        next = records.hasNext() ? records.next() : null;
      }
      lines.sort(Comparator.comparingLong(KeptLine::order));
      return screen(patientId, lines.stream().map(KeptLine::resource).toList());
    }
  }

  private static Byte either(Byte a, Byte b) {
    return (byte) (a | b);
  }

  private void say(String line) {
    progress.println(line);
    progress.flush();
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
