package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ketamineadvisor.advisor.fhir.bulk.ExportState.FileRecord;
import org.ketamineadvisor.advisor.fhir.bulk.Manifest.ExportFile;

/**
 * A FHIR Bulk Data Access 2.0 export into a folder, resumable: kick-off, polling, the manifest's files downloaded,
 * the server's error files reported, the job deleted at the end. Each step is saved in {@link ExportState}, so the
 * same folder given again continues where the last run stopped and never downloads a completed file twice.
 * What it tells the user goes to stderr, without patient identifiers, tokens or keys.
 */
public final class BulkExportClient {

  static final int MAX_ERROR_TEXTS = 10;

  private final BulkHttp http;
  private final AccessTokens tokens;
  private final PrintWriter err;
  private final ProgressLine progress;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration timeout;
  private int statusRequests;
  private Duration downloadIdleTimeout = FileDownloader.IDLE_TIMEOUT;

  /** A client on its own HTTP connection pool. */
  public static BulkExportClient create(AccessTokens tokens, PrintWriter err, boolean terminal, Duration timeout) {
    return new BulkExportClient(BulkHttp.newClient(), tokens, err, terminal, timeout, Clock.systemUTC(),
        Sleeper.system());
  }

  BulkExportClient(HttpClient client, AccessTokens tokens, PrintWriter err, boolean terminal, Duration timeout,
      Clock clock, Sleeper sleeper) {
    this.http = new BulkHttp(client, tokens);
    this.tokens = tokens;
    this.err = err;
    this.progress = new ProgressLine(err, terminal, clock);
    this.clock = clock;
    this.sleeper = sleeper;
    this.timeout = timeout;
  }

  /** The HTTP client the export uses (the token endpoint is asked on the same one). */
  public static HttpClient newHttpClient() {
    return BulkHttp.newClient();
  }

  /** How long a file download may go without a byte before it is tried again (tests shorten it). */
  BulkExportClient downloadIdleTimeout(Duration idle) {
    this.downloadIdleTimeout = idle;
    return this;
  }

  /** Status requests sent by the last export (to show that polling stays slow). */
  public int statusRequests() {
    return statusRequests;
  }

  /**
   * Exports into {@code folder} (created owner-only), resuming what a previous run in the same folder left.
   *
   * @throws BulkException when the export cannot be done; what was completed stays for the next run
   */
  public ExportResult export(ExportRequest request, Path folder) throws BulkException, InterruptedException {
    try {
      OwnerOnly.folder(folder);
    } catch (IOException e) {
      throw new BulkException(folder + ": the export folder cannot be created (" + e.getMessage() + ")");
    }
    Optional<ExportState> saved = ExportState.read(folder);
    String endpoint = request.endpoint().toString();
    if (saved.isPresent() && !saved.get().endpoint().equals(endpoint)) {
      throw new BulkException(folder + " holds an export from " + saved.get().endpoint() + ", not " + endpoint
          + ": give another --out, or remove " + folder + " to start anew");
    }
    String asked = request.kickOffUrl().toString();
    if (saved.isPresent() && !saved.get().request().orElse("").equals(asked)) {
      err.println(folder + " holds an export asked with a different request (types, _typeFilter, its date or codes); "
          + "starting a new export into it, which replaces its files");
      replaced(saved.get(), folder);
      saved = Optional.empty();
    }
    ExportState state = saved.orElseGet(() -> new ExportState(endpoint));
    ResumePlan plan = ResumePlan.decide(saved, folder);
    KickOff kickOff = new KickOff(http, sleeper, clock, err);
    StatusPoller poller = new StatusPoller(http, sleeper, clock, progress, timeout);
    ExportRequest accepted = request;
    try {
      if (plan.step() == ResumePlan.Step.KICK_OFF) {
        accepted = start(kickOff, request, request, state, folder);
      } else if (plan.step() == ResumePlan.Step.POLL) {
        err.println("resuming the export job started earlier: polling its status");
      }
      if (plan.step() == ResumePlan.Step.KICK_OFF || plan.step() == ResumePlan.Step.POLL) {
        Manifest manifest;
        try {
          manifest = poller.await(URI.create(state.statusUrl().orElseThrow()));
        } catch (JobGone gone) {
          err.println(gone.getMessage() + "; starting a new export");
          accepted = start(kickOff, request, request, state, folder);
          manifest = poller.await(URI.create(state.statusUrl().orElseThrow()));
        }
        if (endedEarly(manifest)) {
          // the SMART reference server has once answered "complete" before its manifest listed the last file
          sleeper.sleep(Duration.ofSeconds(2));
          manifest = poller.await(URI.create(state.statusUrl().orElseThrow()));
        }
        if (endedEarly(manifest) && state.kickOffUrl().orElse("").contains("_typeFilter=")) {
          // the SMART reference server: a _typeFilter it cannot apply ends the export at that type, silently
          err.println("the export holds no Patient file, though it holds " + manifest.output().size() + " other "
              + "file(s): the server's _typeFilter seems to have ended it early; exporting again without _typeFilter");
          deleteJob(URI.create(state.statusUrl().orElseThrow()));
          start(kickOff, request, accepted.withoutTypeFilter(), state, folder);
          manifest = poller.await(URI.create(state.statusUrl().orElseThrow()));
        }
        if (endedEarly(manifest)) {
          err.println("warning: the export holds no Patient file, though it holds " + manifest.output().size()
              + " other file(s): the server may have ended it early; no patient can be screened without one");
        }
        state.manifestReceived(manifest.json());
        save(state, folder);
        plan = ResumePlan.decide(Optional.of(state), folder);
      }
    } finally {
      statusRequests = poller.requests();
    }
    return finish(plan, state, folder);
  }

  /** Files but no Patient file: no export of a patient's data lacks the patient, so the server stopped early. */
  private static boolean endedEarly(Manifest manifest) {
    return !manifest.output().isEmpty() && manifest.output().stream().noneMatch(f -> f.type().equals("Patient"));
  }

  /**
   * Starts the job and saves it, with the rule types the server refused (the client asked again without them);
   * returns the request the server accepted (perhaps with less than asked).
   *
   * @param first the request as the user's command made it (what a later run compares)
   * @param send the request to send now (the first, or one already narrowed)
   */
  private ExportRequest start(KickOff kickOff, ExportRequest first, ExportRequest send, ExportState state,
      Path folder) throws BulkException, InterruptedException {
    KickOff.Started started = kickOff.start(send);
    state.started(first.kickOffUrl().toString(), started.accepted().kickOffUrl().toString(),
        started.statusUrl().toString());
    List<String> kept = started.accepted().types();
    if (!kept.isEmpty()) {
      first.types().stream().filter(RulesExport::isRuleType).filter(type -> !kept.contains(type))
          .forEach(type -> state.notExported(type, "the server refused it"));
    }
    save(state, folder);
    return started.accepted();
  }

  /** A different request into the same folder: the old job is deleted, and the old files with their records. */
  private void replaced(ExportState old, Path folder) throws InterruptedException {
    if (!old.finished() && old.statusUrl().isPresent()) {
      deleteJob(URI.create(old.statusUrl().get()));
    }
    for (String name : old.files().keySet()) {
      try {
        Files.deleteIfExists(folder.resolve(name));
      } catch (IOException e) {
        err.println("warning: " + folder.resolve(name) + " of the earlier export cannot be removed ("
            + e.getClass().getSimpleName() + ")");
      }
    }
  }

  private ExportResult finish(ResumePlan plan, ExportState state, Path folder)
      throws BulkException, InterruptedException {
    Manifest manifest = plan.manifest();
    if (plan.step() == ResumePlan.Step.DONE) {
      err.println("the export in " + folder + " is complete (" + plan.kept().size() + " files, verified): nothing "
          + "to download");
    } else if (!plan.kept().isEmpty()) {
      err.println("kept " + plan.kept().size() + " file(s) downloaded earlier (size and SHA-256 verified)");
    }
    if (manifest.requiresAccessToken()) {
      URI base = URI.create(state.endpoint());
      for (ExportFile file : plan.toDownload()) {
        if (!tokenMayGoTo(base, file.url())) {
          throw new BulkException("the export's manifest lists " + file.name() + " at " + origin(file.url())
              + " over plain http and asks for the access token there: refused, since the token would cross the "
              + "network readable to anyone and reach a host other than the FHIR server (" + origin(base) + "); "
              + "the server must name https URLs for files held elsewhere");
        }
      }
    }
    FileDownloader downloader = new FileDownloader(http, sleeper, clock, downloadIdleTimeout);
    int done = 0;
    for (ExportFile file : plan.toDownload()) {
      state.forget(file.name());
      save(state, folder);
      FileRecord record = downloader.download(file, folder.resolve(file.name()), manifest.requiresAccessToken());
      state.completed(file.name(), record);
      save(state, folder);
      done++;
      err.println("downloaded " + done + "/" + plan.toDownload().size() + ": " + file.name() + " (" + record.size()
          + " bytes)");
    }
    if (downloader.retries() > 0) {
      err.println(downloader.retries() + " download(s) broke off and were tried again");
    }
    if (!state.finished()) {
      deleteJob(plan.statusUrl());
      state.finish();
      save(state, folder);
    }
    tokens.typesOutOfScope().forEach(type -> state.notExported(type, "the token's scope does not allow reading it"));
    save(state, folder);
    if (!manifest.transactionTime().isBlank()) {
      err.println("the export holds the server's data as of " + manifest.transactionTime() + " (its transactionTime)");
    }
    return result(manifest, state, folder, plan.toDownload().size(), plan.kept().size());
  }

  /**
   * Whether a file download may carry the bearer token: to the FHIR server's own origin (scheme, host and port),
   * or to another origin only over https (a storage host the server delegates to); never in plain http elsewhere.
   */
  static boolean tokenMayGoTo(URI fhirBase, URI file) {
    return origin(fhirBase).equals(origin(file)) || "https".equalsIgnoreCase(file.getScheme());
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT)) + ":"
        + port;
  }

  /** Job cleanup: the server may drop the files now. A failure is a warning: the files are already here. */
  private void deleteJob(URI statusUrl) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(BulkHttp.request(statusUrl).DELETE(), true,
          HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 300 && status != 404 && status != 410) {
        err.println("warning: the export job could not be deleted on the server (HTTP " + status + "); its files "
            + "stay there until the server removes them");
      }
    } catch (IOException | BulkException e) {
      err.println("warning: the export job could not be deleted on the server (" + e.getClass().getSimpleName()
          + "); its files stay there until the server removes them");
    }
  }

  private ExportResult result(Manifest manifest, ExportState state, Path folder, int downloaded, int kept)
      throws BulkException {
    List<ExportResult.File> outputs = new ArrayList<>();
    List<ExportResult.File> errors = new ArrayList<>();
    Set<String> texts = new LinkedHashSet<>();
    java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
    int issues = 0;
    for (ExportFile file : manifest.files()) {
      Path path = folder.resolve(file.name());
      long size;
      try {
        size = Files.size(path);
      } catch (IOException e) {
        throw new BulkException(path + ": missing after the download");
      }
      ExportResult.File done = new ExportResult.File(path, file.type(), size);
      if (file.isError()) {
        errors.add(done);
        issues += readIssues(path, texts, kinds);
      } else {
        outputs.add(done);
      }
    }
    List<String> shown = texts.stream().limit(MAX_ERROR_TEXTS).toList();
    if (issues > 0) {
      // counts by severity and code only: the diagnostics may name patients, so they stay in the error files
      err.println("the server reported " + issues + " problem(s) in " + errors.size() + " error file(s) of the "
          + "export (in " + folder.resolve("errors") + "; their texts are there, not here):");
      kinds.forEach((kind, count) -> err.println("  " + count + " × " + kind));
    }
    state.notExported().forEach((type, why) -> err.println("warning: the export does not include " + type + " ("
        + why + "): the rules that read " + type + " have no data and cannot be assessed"));
    return new ExportResult(folder, outputs, errors, issues, shown, downloaded, kept,
        List.copyOf(state.notExported().keySet()));
  }

  /**
   * Counts the issues of an error file, gathers their distinct texts (for the result) and counts them by severity
   * and code (for stderr, which must not carry the texts: they may name a patient).
   */
  private static int readIssues(Path file, Set<String> texts, java.util.Map<String, Integer> kinds) {
    int issues = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        List<String> found = OutcomeText.issues(line);
        issues += Math.max(1, found.size());
        texts.addAll(found);
        issueKinds(line).forEach(kind -> kinds.merge(kind, 1, Integer::sum));
      }
    } catch (IOException e) {
      texts.add(file.getFileName() + " could not be read");
    }
    return issues;
  }

  /** Each issue of an OperationOutcome line as "severity code" ("error processing"); "unreadable line" otherwise. */
  static List<String> issueKinds(String line) {
    try {
      com.fasterxml.jackson.databind.JsonNode outcome = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(line);
      List<String> kinds = new ArrayList<>();
      outcome.path("issue").forEach(issue -> kinds.add(token(issue.path("severity").asText("")) + " "
          + token(issue.path("code").asText(""))));
      return kinds.isEmpty() ? List.of("issue without severity or code") : kinds;
    } catch (IOException e) {
      return List.of("unreadable line");
    }
  }

  /** A severity or code as printed: FHIR codes are plain tokens, anything else is not shown. */
  private static String token(String value) {
    return value.matches("[a-z][a-z-]{0,40}") ? value : value.isEmpty() ? "(none)" : "(not a code)";
  }

  private static void save(ExportState state, Path folder) throws BulkException {
    try {
      state.save(folder);
    } catch (IOException e) {
      throw new BulkException(folder.resolve(ExportState.FILE_NAME) + ": the export's state cannot be saved ("
          + e.getMessage() + ")");
    }
  }
}
