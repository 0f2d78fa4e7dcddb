package org.ketamineadvisor.advisor.fhir.files;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Raw resources grouped by patient id, handed back one patient at a time in ascending id order.
 * Kept in memory while small; past {@code memoryLimit} (estimated heap bytes) everything goes to a
 * temporary file, and on the way out that file is split into ranges of patient ids (recursively,
 * each split reading and writing the data once) until each range fits in memory, so the heap holds
 * one range at a time however large the input. Only the patient ids and their sizes stay in memory.
 * The temporary directory is deleted by {@link #close()}.
 */
final class PatientSpool implements Closeable {

  /** Ranges written per split: enough to shrink fast, few enough open files. */
  private static final int FANOUT = 32;

  private final long memoryLimit;
  private final Path tempParent;
  private final TreeMap<String, long[]> weights = new TreeMap<>();
  private Map<String, List<SpooledResource>> inMemory = new HashMap<>();
  private long inMemoryWeight;
  private Path directory;
  private Path spillFile;
  private DataOutputStream spill;
  private int fileCounter;

  /**
   * @param memoryLimit estimated heap bytes held before spilling to disk
   * @param tempParent where the temporary directory goes (null: the system's temp directory)
   */
  PatientSpool(long memoryLimit, Path tempParent) {
    if (memoryLimit <= 0) {
      throw new IllegalArgumentException("the spool's memory limit must be positive, was " + memoryLimit);
    }
    this.memoryLimit = memoryLimit;
    this.tempParent = tempParent;
  }

  void add(String patientId, SpooledResource resource) {
    long weight = resource.weight();
    weights.computeIfAbsent(patientId, id -> new long[1])[0] += weight;
    try {
      if (spill != null) {
        write(spill, patientId, resource);
        return;
      }
      inMemory.computeIfAbsent(patientId, id -> new ArrayList<>()).add(resource);
      inMemoryWeight += weight;
      if (inMemoryWeight > memoryLimit) {
        moveToDisk();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the temporary spool in " + directory
          + " (is the disk full? set java.io.tmpdir to a larger disk)", e);
    }
  }

  /** Whether the resources went to disk (the input was larger than the memory limit). */
  boolean spilled() {
    return directory != null;
  }

  /** The temporary directory, null until the spool spills. */
  Path directory() {
    return directory;
  }

  /** Calls {@code consumer} once per patient, in ascending id order, with its resources in input order. */
  void drainInOrder(BiConsumer<String, List<SpooledResource>> consumer) {
    if (spill == null) {
      Map<String, List<SpooledResource>> groups = inMemory;
      inMemory = new HashMap<>();
      for (String patientId : weights.keySet()) {
        consumer.accept(patientId, groups.remove(patientId));
      }
      return;
    }
    try {
      spill.close();
      spill = null;
      List<String> ids = new ArrayList<>(weights.keySet());
      drain(spillFile, ids, consumer);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the temporary spool in " + directory, e);
    }
  }

  private void moveToDisk() throws IOException {
    directory = tempParent == null ? Files.createTempDirectory("ketamine-advisor-spool")
        : Files.createTempDirectory(tempParent, "ketamine-advisor-spool");
    spillFile = newFile();
    spill = open(spillFile);
    for (Map.Entry<String, List<SpooledResource>> group : inMemory.entrySet()) {
      for (SpooledResource resource : group.getValue()) {
        write(spill, group.getKey(), resource);
      }
    }
    inMemory = new HashMap<>();
    inMemoryWeight = 0;
  }

  /** {@code ids} are sorted and are exactly the patients in {@code file}. */
  private void drain(Path file, List<String> ids, BiConsumer<String, List<SpooledResource>> consumer)
      throws IOException {
    long total = 0;
    for (String id : ids) {
      total += weights.get(id)[0];
    }
    if (total <= memoryLimit || ids.size() == 1) {
      Map<String, List<SpooledResource>> groups = readAll(file);
      Files.delete(file);
      for (String id : ids) {
        consumer.accept(id, groups.remove(id));
      }
      return;
    }
    List<List<String>> ranges = split(ids, total);
    String[] firstIds = ranges.stream().map(r -> r.get(0)).toArray(String[]::new);
    List<Path> files = new ArrayList<>();
    List<DataOutputStream> outs = new ArrayList<>();
    try {
      for (int i = 0; i < ranges.size(); i++) {
        files.add(newFile());
        outs.add(open(files.get(i)));
      }
      try (DataInputStream in = openForReading(file)) {
        String patientId;
        while ((patientId = readPatientId(in)) != null) {
          SpooledResource resource = readResource(in);
          int slot = Arrays.binarySearch(firstIds, patientId);
          write(outs.get(slot >= 0 ? slot : -slot - 2), patientId, resource);
        }
      }
    } finally {
      for (DataOutputStream out : outs) {
        out.close();
      }
    }
    Files.delete(file);
    for (int i = 0; i < ranges.size(); i++) {
      drain(files.get(i), ranges.get(i), consumer);
    }
  }

  /** Contiguous runs of ids of about equal weight; at least two when there are two ids. */
  private List<List<String>> split(List<String> ids, long total) {
    long target = Math.max(1, Math.max(memoryLimit / 2, total / FANOUT + 1));
    List<List<String>> ranges = new ArrayList<>();
    List<String> current = new ArrayList<>();
    long weight = 0;
    for (String id : ids) {
      long w = weights.get(id)[0];
      if (!current.isEmpty() && weight + w > target) {
        ranges.add(current);
        current = new ArrayList<>();
        weight = 0;
      }
      current.add(id);
      weight += w;
    }
    ranges.add(current);
    if (ranges.size() == 1) {
      List<String> only = ranges.get(0);
      int half = only.size() / 2;
      ranges = List.of(new ArrayList<>(only.subList(0, half)), new ArrayList<>(only.subList(half, only.size())));
    }
    return ranges;
  }

  private Map<String, List<SpooledResource>> readAll(Path file) throws IOException {
    Map<String, List<SpooledResource>> groups = new HashMap<>();
    try (DataInputStream in = openForReading(file)) {
      String patientId;
      while ((patientId = readPatientId(in)) != null) {
        groups.computeIfAbsent(patientId, id -> new ArrayList<>()).add(readResource(in));
      }
    }
    return groups;
  }

  private Path newFile() {
    return directory.resolve("spool-" + (fileCounter++) + ".bin");
  }

  private static DataOutputStream open(Path file) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  private static DataInputStream openForReading(Path file) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  private static void write(DataOutputStream out, String patientId, SpooledResource r) throws IOException {
    writeString(out, patientId);
    writeString(out, r.file());
    writeString(out, r.location());
    writeString(out, r.fullUrl());
    writeString(out, r.resourceType());
    writeString(out, r.id());
    writeString(out, r.json());
  }

  private static String readPatientId(DataInputStream in) throws IOException {
    try {
      return readString(in);
    } catch (EOFException endOfFile) {
      return null;
    }
  }

  private static SpooledResource readResource(DataInputStream in) throws IOException {
    return new SpooledResource(readString(in), readString(in), readString(in), readString(in), readString(in),
        readString(in));
  }

  // writeUTF stops at 64 KB; resources can be larger
  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    if (spill != null) {
      spill.close();
      spill = null;
    }
    inMemory = new HashMap<>();
    if (directory != null && Files.exists(directory)) {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
