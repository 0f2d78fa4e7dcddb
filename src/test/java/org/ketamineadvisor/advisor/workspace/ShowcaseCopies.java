package org.ketamineadvisor.advisor.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.ketamineadvisor.advisor.sandbox.FixtureLoader;

/**
 * Loads a copy of a showcase patient of {@code launch/sandbox/} under a new id (every id of its file prefixed), so
 * a test that writes to the shared embedded server never meets what another test wrote for the same patient.
 */
public final class ShowcaseCopies {

  private static final AtomicInteger COPIES = new AtomicInteger();

  private ShowcaseCopies() {}

  /** The new patient id, e.g. "c3-4121-crps-suitable". */
  public static String load(String showcase, String fhirBase) {
    String prefix = "c" + COPIES.incrementAndGet() + "-" + ProcessHandle.current().pid() + "-";
    try {
      String json = Files.readString(Path.of("launch/sandbox/" + showcase + ".json"));
      String copy = json.replace("\"" + showcase, "\"" + prefix + showcase).replace("/" + showcase, "/" + prefix + showcase);
      Path file = Files.createTempFile("showcase-copy-", ".json");
      try {
        Files.writeString(file, copy);
        new FixtureLoader(fhirBase).load(file);
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return prefix + showcase;
  }
}
