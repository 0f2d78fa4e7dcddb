package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an interrupted screen needs to resume, in {@code bulk-export.state} (JSON) beside the downloaded files
 * (owner-only; not named {@code *.json}, so that {@code screen --input OUT/export} and {@code assess --input
 * OUT/export} do not read it as FHIR and report it as a broken input): the request as first sent (a different
 * request starts a new export), the kick-off the server accepted, the rule types it does not include and why, the
 * job's status URL, the
 * manifest once received, each completed file's size and SHA-256, and whether the export is finished. Saved after every step (written beside and renamed, so a crash leaves the old or the new state,
 * never half of one).
 */
public final class ExportState {

  public static final String FILE_NAME = "bulk-export.state";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A downloaded file as it was completed. */
  public record FileRecord(long size, String sha256) {}

  private final String endpoint;
  private String request;
  private final Map<String, String> notExported = new LinkedHashMap<>();
  private String kickOffUrl;
  private String statusUrl;
  private JsonNode manifest;
  private final Map<String, FileRecord> files = new LinkedHashMap<>();
  private boolean finished;

  ExportState(String endpoint) {
    this.endpoint = endpoint;
  }

  /** The saved state in {@code exportDir}, or empty when there is none. */
  public static Optional<ExportState> read(Path exportDir) throws BulkException {
    Path file = exportDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      ExportState state = new ExportState(json.path("endpoint").asText());
      state.request = json.path("request").asText(null);
      json.path("notExported").fields().forEachRemaining(e -> state.notExported.put(e.getKey(),
          e.getValue().asText()));
      state.kickOffUrl = json.path("kickOffUrl").asText(null);
      state.statusUrl = json.path("statusUrl").asText(null);
      state.manifest = json.hasNonNull("manifest") ? json.get("manifest") : null;
      state.finished = json.path("finished").asBoolean(false);
      json.path("files").fields().forEachRemaining(e -> state.files.put(e.getKey(),
          new FileRecord(e.getValue().path("size").asLong(-1), e.getValue().path("sha256").asText(""))));
      return Optional.of(state);
    } catch (IOException | RuntimeException e) {
      throw new BulkException(file + " cannot be read (" + e.getClass().getSimpleName() + "); remove the folder "
          + exportDir + " to start a new export");
    }
  }

  /** Writes the state to {@code exportDir} as rw-------, replacing the previous one in one step. */
  public void save(Path exportDir) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("endpoint", endpoint);
    json.put("request", request);
    ObjectNode missing = json.putObject("notExported");
    notExported.forEach(missing::put);
    json.put("kickOffUrl", kickOffUrl);
    json.put("statusUrl", statusUrl);
    json.set("manifest", manifest);
    json.put("finished", finished);
    ObjectNode fileNodes = json.putObject("files");
    files.forEach((name, record) -> fileNodes.putObject(name).put("size", record.size())
        .put("sha256", record.sha256()));
    Path next = exportDir.resolve(FILE_NAME + ".next");
    OwnerOnly.newFile(next);
    Files.writeString(next, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), StandardCharsets.UTF_8);
    Files.move(next, exportDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  public String endpoint() {
    return endpoint;
  }

  /** The kick-off URL as first sent, before any refusal narrowed it; empty in a state from an older version. */
  public Optional<String> request() {
    return Optional.ofNullable(request);
  }

  /** The rule types the export does not include, each with why (in the words shown on stderr). */
  public Map<String, String> notExported() {
    return Collections.unmodifiableMap(notExported);
  }

  public Optional<String> kickOffUrl() {
    return Optional.ofNullable(kickOffUrl);
  }

  public Optional<String> statusUrl() {
    return Optional.ofNullable(statusUrl);
  }

  public Optional<JsonNode> manifest() {
    return Optional.ofNullable(manifest);
  }

  public Map<String, FileRecord> files() {
    return Collections.unmodifiableMap(files);
  }

  public boolean finished() {
    return finished;
  }

  /** A job started with the request as asked (nothing narrowed). */
  void started(String kickOff, String status) {
    started(kickOff, kickOff, status);
  }

  void started(String asked, String kickOff, String status) {
    request = asked;
    notExported.clear();
    kickOffUrl = kickOff;
    statusUrl = status;
    manifest = null;
    files.clear();
    finished = false;
  }

  void notExported(String type, String why) {
    notExported.putIfAbsent(type, why);
  }

  void manifestReceived(JsonNode json) {
    manifest = json;
  }

  void completed(String name, FileRecord record) {
    files.put(name, record);
  }

  void forget(String name) {
    files.remove(name);
  }

  void finish() {
    finished = true;
  }
}
