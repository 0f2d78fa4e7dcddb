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
 * @param typesNotExported the rule types ({@link RulesExport#types}, Medication aside) the export does not include:
 *     the server refused them (and the client asked again without), or the token's scope does not allow reading
 *     them. Their rules have no data, which is not the same as "nothing recorded": the screen must treat those
 *     rules as unknown.
 */
public record ExportResult(Path folder, List<File> outputs, List<File> errorFiles, int errorIssues,
    List<String> errorTexts, int downloaded, int kept, List<String> typesNotExported) {

  /** One downloaded file. */
  public record File(Path path, String type, long size) {}

  public ExportResult {
    outputs = List.copyOf(outputs);
    errorFiles = List.copyOf(errorFiles);
    errorTexts = List.copyOf(errorTexts);
    typesNotExported = List.copyOf(typesNotExported);
  }

  /**
   * The resource files to screen: the outputs only, not the folder (it also holds {@code bulk-export.state} and the
   * server's OperationOutcome files under {@code errors/}).
   */
  public List<Path> outputPaths() {
    return outputs.stream().map(File::path).toList();
  }
}
