package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished export's manifest (Bulk Data 2.0 "complete" response): the output files per type, the error files
 * (OperationOutcome NDJSON), and whether a file download needs the access token. Each file gets a local name from its
 * place in the manifest and its type ({@code 001.Condition.ndjson}), never from the URL.
 *
 * @param json the manifest as received, kept in the saved state
 */
public record Manifest(String transactionTime, boolean requiresAccessToken, List<ExportFile> output,
    List<ExportFile> error, JsonNode json) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the manifest: its type, where to fetch it, its local name and the count the server gave. */
  public record ExportFile(String type, URI url, String name, Long count, boolean isError) {}

  public Manifest {
    output = List.copyOf(output);
    error = List.copyOf(error);
  }

  /** Every file to download: outputs then errors. */
  public List<ExportFile> files() {
    List<ExportFile> all = new ArrayList<>(output);
    all.addAll(error);
    return all;
  }

  /** Parses a manifest body; relative URLs are resolved against the status URL it came from. */
  public static Manifest parse(String body, URI statusUrl) throws BulkException {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new BulkException("the export's manifest from " + statusUrl + " is not JSON");
    }
    return from(json, statusUrl);
  }

  /** Reads a manifest kept as JSON (the saved state or a status response). */
  public static Manifest from(JsonNode json, URI statusUrl) throws BulkException {
    if (json == null || !json.isObject() || !json.path("output").isArray()) {
      throw new BulkException("the export's manifest from " + statusUrl + " has no \"output\" list");
    }
    List<ExportFile> output = files(json.path("output"), statusUrl, false);
    List<ExportFile> error = files(json.path("error"), statusUrl, true);
    return new Manifest(json.path("transactionTime").asText(""), json.path("requiresAccessToken").asBoolean(false),
        output, error, json);
  }

  private static List<ExportFile> files(JsonNode list, URI statusUrl, boolean isError) throws BulkException {
    List<ExportFile> files = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : list) {
      index++;
      String url = entry.path("url").asText("");
      if (url.isBlank()) {
        throw new BulkException("the export's manifest lists a file without a url (" + (isError ? "error" : "output")
            + " entry " + index + ")");
      }
      URI resolved;
      try {
        resolved = statusUrl.resolve(url);
      } catch (IllegalArgumentException e) {
        throw new BulkException("the export's manifest lists a file whose url is not valid (" + (isError ? "error"
            : "output") + " entry " + index + ")");
      }
      if (resolved.getScheme() == null || !resolved.getScheme().matches("https?")) {
        throw new BulkException("the export's manifest lists a file that is not an http(s) URL (" + (isError
            ? "error" : "output") + " entry " + index + ")");
      }
      String type = safeType(entry.path("type").asText(isError ? "OperationOutcome" : ""));
      String name = String.format("%03d.%s.ndjson", index, type);
      Long count = entry.path("count").canConvertToLong() ? entry.path("count").asLong() : null;
      files.add(new ExportFile(type, resolved, isError ? "errors/" + name : name, count, isError));
    }
    return files;
  }

  /** A resource type as a file name part: letters only (a type is letters), anything else "Unknown". */
  static String safeType(String type) {
    return type != null && type.matches("[A-Za-z]{1,64}") ? type : "Unknown";
  }
}
