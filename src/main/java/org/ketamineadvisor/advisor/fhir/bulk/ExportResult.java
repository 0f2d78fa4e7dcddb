package org.ketamineadvisor.advisor.fhir.bulk;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export left in its folder, for the screen and its summary.
 *
 * @param outputs the resource files, in manifest order
 * @param errorFiles the server's error files (OperationOutcome NDJSON), under {@code errors/}
 * @param errorIssues how many issues the error files hold
 * @param errorTexts their distinct texts (patient references shortened)
 * @param downloaded files downloaded by this run
 * @param kept files downloaded by an earlier run and verified
 */
public record ExportResult(Path folder, List<File> outputs, List<File> errorFiles, int errorIssues,
    List<String> errorTexts, int downloaded, int kept) {

  /** One downloaded file. */
  public record File(Path path, String type, long size) {}

  public ExportResult {
    outputs = List.copyOf(outputs);
    errorFiles = List.copyOf(errorFiles);
    errorTexts = List.copyOf(errorTexts);
  }

  /**
   * The resource files to screen: the outputs only, not the folder (it also holds {@code bulk-export.state} and the
   * server's OperationOutcome files under {@code errors/}).
   */
  public List<Path> outputPaths() {
    return outputs.stream().map(File::path).toList();
  }
}
