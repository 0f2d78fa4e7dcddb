package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts the export job. A server that refuses some of the types asked for (naming them) is asked again without
 * those; one that refuses the request (4xx) with {@code _typeFilter} is asked again without it, then without
 * {@code _type} (more is downloaded, the screen reads only what it needs), saying so on stderr each
 * time; a refusal that remains ends with the server's OperationOutcome. A 429 or 503 is waited out a few times.
 */
final class KickOff {

  /** The job started: its status URL, and the request that the server accepted. */
  record Started(URI statusUrl, ExportRequest accepted) {}

  static final int BUSY_WAITS = 3;
  static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  private final BulkHttp http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final PrintWriter err;

  KickOff(BulkHttp http, Sleeper sleeper, Clock clock, PrintWriter err) {
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
    this.err = err;
  }

  Started start(ExportRequest first) throws BulkException, InterruptedException {
    ExportRequest request = first;
    int busy = 0;
    while (true) {
      URI url = request.kickOffUrl();
      HttpResponse<String> response;
      try {
        response = http.send(BulkHttp.request(url).header("Accept", "application/fhir+json")
            .header("Prefer", "respond-async").GET(), true, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new BulkException("the export could not be started: " + request.endpoint() + " cannot be reached ("
            + e.getClass().getSimpleName() + ")", e);
      }
      int status = response.statusCode();
      if (status == 202) {
        Optional<String> location = response.headers().firstValue("Content-Location");
        if (location.isEmpty() || location.get().isBlank()) {
          throw new BulkException("the server accepted the export (HTTP 202) but gave no Content-Location: the "
              + "job's status cannot be followed");
        }
        return new Started(url.resolve(location.get().trim()), request);
      }
      String why = OutcomeText.summary(response.body());
      if ((status == 429 || status == 503) && busy < BUSY_WAITS) {
        busy++;
        Duration wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
            .orElse(Duration.ofSeconds(5L * busy));
        if (wait.compareTo(LONGEST_WAIT) > 0) {
          throw new BulkException("the server is busy (HTTP " + status + ") and asks to wait " + wait.toSeconds()
              + " s before starting the export; try again later");
        }
        err.println("the server is busy (HTTP " + status + "); starting the export again in " + seconds(wait));
        sleeper.sleep(wait);
        continue;
      }
      if (status == 401) {
        throw new BulkException("the server refused the export (HTTP 401: not authorized, even with a new token): "
            + why + "; check --client-id and --scope");
      }
      List<String> unavailable = typesNamed(why, request);
      if (status >= 400 && status < 500 && !unavailable.isEmpty()) {
        err.println("the server refused " + String.join(", ", unavailable) + " in _type (HTTP " + status + ": " + why
            + "); asking again without " + (unavailable.size() == 1 ? "it" : "them"));
        request = request.withoutTypes(unavailable);
        continue;
      }
      if (status >= 400 && status < 500 && request.typeFilter() != null) {
        err.println("the server refused _typeFilter (HTTP " + status + ": " + why + "); asking again without it, "
            + "so every Observation is exported");
        request = request.withoutTypeFilter();
        continue;
      }
      if (status >= 400 && status < 500 && !request.types().isEmpty()) {
        err.println("the server refused _type (HTTP " + status + ": " + why + "); asking again without it, so every "
            + "resource type is exported");
        request = request.withoutTypes();
        continue;
      }
      throw new BulkException("the server refused the export at " + request.endpoint() + " (HTTP " + status + "): "
          + why);
    }
  }

  /**
   * The asked-for types a refusal names (the SMART reference server: 'The requested resource type "MedicationStatement"
   * is not available on this server'), unless it is about {@code _typeFilter}; dropping only those keeps the filter.
   */
  static List<String> typesNamed(String why, ExportRequest request) {
    if (why.contains("typeFilter") || request.types().size() < 2) {
      return List.of();
    }
    List<String> named = request.types().stream()
        .filter(type -> Pattern.compile("\\b" + type + "\\b").matcher(why).find()).toList();
    return named.size() < request.types().size() ? named : List.of();
  }

  static String seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000) + " s";
  }
}
