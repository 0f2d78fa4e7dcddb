package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the job's time goes, for the benchmark: the driver's wall time of each phase (each phase's result is
 * materialised before the next starts, so the phases do not overlap), and the executors' own time inside the app's
 * code, summed over tasks (nanoTime around each file read, each patient parsed and assessed), with the records and
 * bytes read. Written as spark-metrics.json; one line on stderr. No patient ids. The fields:
 * <ul>
 *   <li>{@code master}, {@code executors} (1 in local mode), {@code partitions} (the shuffles'), {@code files}</li>
 *   <li>{@code records}: resources in the export (NDJSON lines and Bundle entries); {@code bytes}: bytes read from
 *       the files as stored, both passes; {@code resourcesKept}: the candidates' resources read in the second
 *       pass</li>
 *   <li>{@code patients}, {@code candidates} (with a Patient resource), {@code assessed}</li>
 *   <li>{@code wallMillis}: the job from listing to the last output; {@code recordsPerSecond}: records over it</li>
 *   <li>{@code phaseWallMillis}: {@code list}, {@code census}, {@code read}, {@code group}, {@code assess},
 *       {@code write} (the driver's clock)</li>
 *   <li>{@code taskMillis}: {@code census}, {@code read}, {@code parse}, {@code assess}: time inside tasks, summed
 *       over all executor threads (so it may exceed the wall time; a retried task counts twice)</li>
 * </ul>
 */
final class JobMetrics implements Serializable {

  /** Resources found in the export (every NDJSON line and Bundle entry, read by the census). */
  final LongAccumulator resources;
  /** Bytes read from the files (as stored, before .gz is undone), both passes. */
  final LongAccumulator bytes;
  /** Task time reading files: the census pass. */
  final LongAccumulator censusNanos;
  /** Task time reading files: the second pass (the candidates' resources kept). */
  final LongAccumulator keepNanos;
  /** Task time parsing patients' resources with HAPI. */
  final LongAccumulator parseNanos;
  /** Task time assessing patients (mapping, rules, the plan, the output line). */
  final LongAccumulator assessNanos;
  /** Resources kept for the candidates (and patients without a Patient resource). */
  final LongAccumulator kept;

  private final transient Map<String, Long> phases = new LinkedHashMap<>();
  private transient long started;

  JobMetrics(SparkContext sc) {
    resources = sc.longAccumulator("resources found");
    bytes = sc.longAccumulator("bytes read");
    censusNanos = sc.longAccumulator("census task ns");
    keepNanos = sc.longAccumulator("read task ns");
    parseNanos = sc.longAccumulator("parse task ns");
    assessNanos = sc.longAccumulator("assess task ns");
    kept = sc.longAccumulator("resources kept");
    started = System.nanoTime();
  }

  /** Runs one phase on the driver and notes its wall time under {@code name}. */
  <T> T phase(String name, java.util.function.Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      phases.merge(name, System.nanoTime() - start, Long::sum);
    }
  }

  /** Milliseconds of a phase so far. */
  long millis(String name) {
    return phases.getOrDefault(name, 0L) / 1_000_000;
  }

  long totalMillis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** spark-metrics.json. */
  String json(long patients, long candidates, long assessed, int executors, int partitions, int files,
      String master) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    long total = totalMillis();
    root.put("master", master);
    root.put("executors", executors);
    root.put("partitions", partitions);
    root.put("files", files);
    root.put("records", resources.value());
    root.put("bytes", bytes.value());
    root.put("patients", patients);
    root.put("candidates", candidates);
    root.put("assessed", assessed);
    root.put("resourcesKept", kept.value());
    root.put("wallMillis", total);
    root.put("recordsPerSecond", total == 0 ? 0 : Math.round(resources.value() * 1000.0 / total));
    ObjectNode wall = root.putObject("phaseWallMillis");
    phases.forEach((name, nanos) -> wall.put(name, nanos / 1_000_000));
    ObjectNode tasks = root.putObject("taskMillis");
    tasks.put("census", censusNanos.value() / 1_000_000);
    tasks.put("read", keepNanos.value() / 1_000_000);
    tasks.put("parse", parseNanos.value() / 1_000_000);
    tasks.put("assess", assessNanos.value() / 1_000_000);
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the metrics", e);
    }
  }

  /** The one summary line for stderr. */
  String line(long patients, long candidates) {
    long total = totalMillis();
    return String.format(Locale.ROOT, "screen-spark: done in %.1f s: %d records (%d/s), %d patients, %d candidates;"
        + " wall time: list %.1f s, census %.1f s, read %.1f s, group %.1f s, assess %.1f s, write %.1f s",
        total / 1000.0, resources.value(), total == 0 ? 0 : Math.round(resources.value() * 1000.0 / total),
        patients, candidates, millis("list") / 1000.0, millis("census") / 1000.0, millis("read") / 1000.0,
        millis("group") / 1000.0, millis("assess") / 1000.0, millis("write") / 1000.0);
  }
}
