package org.ketamineadvisor.advisor.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.fhir.bulk.AccessTokens;
import org.ketamineadvisor.advisor.fhir.bulk.BackendKey;
import org.ketamineadvisor.advisor.fhir.bulk.BackendServicesTokens;
import org.ketamineadvisor.advisor.fhir.bulk.BulkException;
import org.ketamineadvisor.advisor.fhir.bulk.BulkExportClient;
import org.ketamineadvisor.advisor.fhir.bulk.ExportRequest;
import org.ketamineadvisor.advisor.fhir.bulk.ExportResult;
import org.ketamineadvisor.advisor.fhir.bulk.RulesExport;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * {@code screen --fhir-base}'s download: the Bulk Data export of what the rules read, into {@code OUT/export}, with a
 * SMART Backend Services token when a client is given; then what was downloaded, on stdout.
 */
final class BulkDownloadRun {

  /** The folder under --out that holds the export (and its resume state). */
  static final String EXPORT_FOLDER = "export";

  private final BulkOptions options;
  private final PrintWriter err;
  private final Clock clock;
  private final String extraScopes;
  private AccessTokens tokens = AccessTokens.none();

  /** @param extraScopes scopes asked for beside the export's (e.g. to write the results back); null for none */
  BulkDownloadRun(BulkOptions options, PrintWriter err, Clock clock, String extraScopes) {
    this.options = options;
    this.err = err;
    this.clock = clock;
    this.extraScopes = extraScopes;
  }

  /** The tokens the export was done with (none without --client-id), to write the results back with. */
  AccessTokens tokens() {
    return tokens;
  }

  /** Downloads (or resumes downloading) the export into {@code out/export}. */
  ExportResult download(Path out, LocalDate asOf, ValueSetTerminology terminology)
      throws BulkException, InterruptedException {
    URI base = URI.create(options.fhirBase);
    HttpClient http = BulkExportClient.newHttpClient();
    if (options.clientId != null) {
      BackendKey key = BackendKey.load(options.privateKey, options.keyId);
      // the write scopes cannot be narrowed to what the server lists: a server without them refuses the token
      String scope = options.scope != null || extraScopes == null ? options.scope
          : RulesExport.defaultScope() + " " + extraScopes;
      tokens = BackendServicesTokens.discover(http, base, options.clientId, key, scope, err::println, clock);
    }
    ExportRequest request = new ExportRequest(base, options.level(), options.group,
        RulesExport.types(options.level()),
        RulesExport.observationFilter(terminology, RuleSettings.defaults(), asOf));
    // the progress bar rewrites its line only on a terminal; a log gets a plain line every 10 s
    BulkExportClient client = BulkExportClient.create(tokens, err, System.console() != null,
        Duration.ofMinutes(options.exportTimeoutMinutes));
    return client.export(request, out.resolve(EXPORT_FOLDER));
  }

  /** What was downloaded, one line per file: path, type, size. */
  static void print(ExportResult result, PrintWriter out) {
    out.println("export: " + result.outputs().size() + " file(s) in " + result.folder() + " (" + result.downloaded()
        + " downloaded now, " + result.kept() + " kept from an earlier run)");
    for (ExportResult.File file : result.outputs()) {
      out.println("  " + file.path().getFileName() + "\t" + file.type() + "\t" + file.size() + " bytes");
    }
    if (!result.errorFiles().isEmpty()) {
      out.println("server error files: " + result.errorFiles().size() + " (" + result.errorIssues() + " issue(s))");
      for (ExportResult.File file : result.errorFiles()) {
        out.println("  " + result.folder().relativize(file.path()) + "\t" + file.size() + " bytes");
      }
    }
  }
}
