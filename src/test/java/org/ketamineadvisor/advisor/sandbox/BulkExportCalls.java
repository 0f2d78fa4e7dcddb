package org.ketamineadvisor.advisor.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP calls of a FHIR Bulk Data export, plainly, for tests of the servers (the embedded HAPI server, the
 * sandbox, {@link FaultProxy}): kick-off, polling the status URL until the manifest, downloading the files,
 * deleting the job. Not a client to copy: it retries nothing and trusts every answer.
 */
final class BulkExportCalls {

  static final String NDJSON = "application/fhir+ndjson";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String bearerToken;

  /** Without a token. */
  BulkExportCalls() {
    this(null);
  }

  /** Every call with {@code Authorization: Bearer token} (null: none). */
  BulkExportCalls(String bearerToken) {
    this.bearerToken = bearerToken;
  }

  /** The kick-off ({@code Prefer: respond-async}); {@code url} holds the parameters, e.g. {@code …/$export?_type=Patient}. */
  HttpResponse<String> kickOff(String url) {
    return send(request(url).header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET());
  }

  /** The status URL a successful kick-off names ({@code Content-Location}). */
  static String statusUrl(HttpResponse<String> kickOff) {
    if (kickOff.statusCode() != 202) {
      throw new AssertionError("the kick-off was not accepted: " + kickOff.statusCode() + " " + kickOff.body());
    }
    return kickOff.headers().firstValue("Content-Location")
        .orElseThrow(() -> new AssertionError("the accepted kick-off names no status URL (Content-Location)"));
  }

  HttpResponse<String> poll(String statusUrl) {
    return send(request(statusUrl).header("Accept", "application/json").GET());
  }

  /** Polls every {@code Retry-After} (at most a second here) until the manifest (200), failing on anything else. */
  JsonNode awaitManifest(String statusUrl, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      HttpResponse<String> status = poll(statusUrl);
      if (status.statusCode() == 200) {
        return parse(status.body());
      }
      if (status.statusCode() != 202) {
        throw new AssertionError("status " + status.statusCode() + " while the export ran: " + status.body());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the export was not ready after " + timeout + " (last X-Progress: "
            + status.headers().firstValue("X-Progress").orElse("none") + ")");
      }
      long seconds = status.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      sleep(Duration.ofMillis(Math.max(200, Math.min(seconds, 1) * 1000)));
    }
  }

  HttpResponse<String> download(String fileUrl) {
    return send(request(fileUrl).header("Accept", NDJSON).GET());
  }

  HttpResponse<String> delete(String statusUrl) {
    return send(request(statusUrl).header("Accept", "application/fhir+json").DELETE());
  }

  /** Lines per resource type over every output file of the manifest (downloaded, each answered 200). */
  Map<String, Integer> linesPerType(JsonNode manifest) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (JsonNode output : manifest.path("output")) {
      HttpResponse<String> file = download(output.path("url").asText());
      if (file.statusCode() != 200) {
        throw new AssertionError("download of " + output.path("url").asText() + ": " + file.statusCode() + " "
            + file.body());
      }
      for (String line : file.body().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String type = parse(line).path("resourceType").asText();
        if (!type.equals(output.path("type").asText())) {
          throw new AssertionError("a " + type + " in the " + output.path("type").asText() + " file " + output);
        }
        lines.merge(type, 1, Integer::sum);
      }
    }
    return lines;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (bearerToken != null) {
      builder.header("Authorization", "Bearer " + bearerToken);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
