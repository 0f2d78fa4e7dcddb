package org.ketamineadvisor.advisor.fhir.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One exported file to read, wherever it lies: a path on this machine, or a file on a cluster's file system that the
 * Spark job opens through Hadoop. {@link #name()} is what every problem and patient source names (the app's is the
 * path as given), and also says the format: *.ndjson (one resource a line) or a JSON Bundle, .gz decompressed.
 */
public interface FhirInputFile {

  /** How the file is named in problems ("…/Observation.ndjson, line 3") and sources; ends as the file's name. */
  String name();

  /** The file's bytes as stored (still gzipped for a .gz); may be called more than once (a Bundle is read twice). */
  InputStream open() throws IOException;

  /** A file on this machine, named as the path is written. */
  static FhirInputFile of(Path file) {
    return new FhirInputFile() {
      @Override
      public String name() {
        return file.toString();
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }
}
