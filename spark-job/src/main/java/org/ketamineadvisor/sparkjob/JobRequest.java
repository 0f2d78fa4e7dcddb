package org.ketamineadvisor.sparkjob;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.ketamineadvisor.advisor.terminology.LocalCodes;

/**
 * The job's options, checked on the driver before anything is read: the inputs exist, the output is a folder (or
 * not there yet), the site's local codes are readable and valid (their lines go to the executors, which build the
 * terminology from them: the file is read once, on the driver, from any file system).
 *
 * @param inputs the {@code --input}s as given
 * @param out the output folder
 * @param asOf the date every window is measured back from
 * @param localCodes the local-codes file's name and lines; null without {@code --local-codes}
 * @param partitions the shuffles' partitions; null for Spark's default parallelism
 */
record JobRequest(List<String> inputs, OutFolder out, LocalDate asOf, LocalCodesText localCodes, Integer partitions)
    implements Serializable {

  /** A local-codes TSV as read on the driver: its name (for errors) and lines. */
  record LocalCodesText(String name, List<String> lines) implements Serializable {
    LocalCodesText {
      lines = List.copyOf(lines);
    }

    LocalCodes parse() {
      return LocalCodes.read(Path.of(name), lines);
    }
  }

  JobRequest {
    inputs = List.copyOf(inputs);
  }

  /**
   * Checks the options against the file systems ({@code hadoop}: the session's configuration).
   *
   * @throws IllegalArgumentException saying which option is wrong and what to do
   */
  static JobRequest of(List<String> inputs, String out, LocalDate asOf, String localCodes, Integer partitions,
      Configuration hadoop) {
    for (String input : inputs) {
      if (!exists(input, hadoop)) {
        throw new IllegalArgumentException("--input " + input + ": no such file or folder; check the path");
      }
    }
    OutFolder folder = OutFolder.of(out, hadoop);
    LocalCodesText codes = null;
    if (localCodes != null) {
      if (!exists(localCodes, hadoop)) {
        throw new IllegalArgumentException("--local-codes " + localCodes + ": no such file; check the path");
      }
      codes = new LocalCodesText(localCodes, readLines(localCodes, hadoop));
      codes.parse();
    }
    return new JobRequest(inputs, folder, asOf, codes, partitions);
  }

  private static boolean exists(String location, Configuration hadoop) {
    org.apache.hadoop.fs.Path path = ExportListing.hadoopPath(location);
    try {
      return path.getFileSystem(hadoop).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(location + " could not be looked at (" + e.getMessage() + ")", e);
    }
  }

  private static List<String> readLines(String location, Configuration hadoop) {
    org.apache.hadoop.fs.Path path = ExportListing.hadoopPath(location);
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(path.getFileSystem(hadoop).open(path),
            StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read local codes file " + location + ": " + e.getMessage()
          + " (check the path)", e);
    }
    return lines;
  }
}
