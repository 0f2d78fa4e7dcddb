package org.ketamineadvisor.advisor.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The baseline of the screening benchmark: HAPI's own parse of every line of an NDJSON export, nothing else (no
 * grouping, no rules, nothing written), on as many threads as the screen's parse uses (min(4, cores)). One reader
 * thread hands lines to the parsers in batches, so the input is read once, as the screen reads it.
 * Usage: {@code HapiParseBench EXPORT_DIR}; prints resources, seconds and resources/s.
 */
public final class HapiParseBench {

  private static final List<String> END = List.of();

  private HapiParseBench() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    FhirContext ctx = FhirContext.forR4Cached();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList();
    }
    long start = System.nanoTime();
    BlockingQueue<List<String>> batches = new ArrayBlockingQueue<>(4 * threads);
    AtomicLong parsed = new AtomicLong();
    List<Thread> parsers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread parser = new Thread(() -> {
        IParser json = ctx.newJsonParser();
        try {
          for (List<String> batch = batches.take(); batch != END; batch = batches.take()) {
            for (String line : batch) {
              json.parseResource(line);
            }
            parsed.addAndGet(batch.size());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "hapi-parse-" + i);
      parser.start();
      parsers.add(parser);
    }
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        List<String> batch = new ArrayList<>(256);
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank()) {
            batch.add(line);
          }
          if (batch.size() == 256) {
            batches.put(batch);
            batch = new ArrayList<>(256);
          }
        }
        if (!batch.isEmpty()) {
          batches.put(batch);
        }
      } catch (IOException e) {
        throw new IllegalStateException(file + " could not be read", e);
      }
    }
    for (int i = 0; i < threads; i++) {
      batches.put(END);
    }
    for (Thread parser : parsers) {
      parser.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("HAPI parse: %d resources in %.1f s (%.0f resources/s) on %d thread(s)%n", parsed.get(), seconds,
        parsed.get() / seconds, threads);
  }
}
