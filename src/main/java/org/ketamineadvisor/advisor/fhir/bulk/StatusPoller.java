package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows the export job until its manifest is ready. Never polls faster than the server's Retry-After (all three
 * forms, {@link RetryAfter}); without one the interval grows ({@link PollInterval}). A 429 or 503 is waited out, not
 * a failure; a connection error or a gateway error a few times in a row is. The whole wait is bounded by the export
 * timeout; the job is then kept on the server, so the screen started again resumes it.
 */
final class StatusPoller {

  static final int TRANSIENT_FAILURES = 5;
  private static final Duration TICK = Duration.ofSeconds(1);

  private final BulkHttp http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final ProgressLine progress;
  private final Duration timeout;
  private int requests;

  StatusPoller(BulkHttp http, Sleeper sleeper, Clock clock, ProgressLine progress, Duration timeout) {
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
    this.progress = progress;
    this.timeout = timeout;
  }

  /** Status requests sent so far. */
  int requests() {
    return requests;
  }

  /** Polls {@code statusUrl} until the manifest comes. */
  Manifest await(URI statusUrl) throws BulkException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    PollInterval interval = new PollInterval();
    int transientFailures = 0;
    try {
      while (true) {
        Optional<Duration> retryAfter = Optional.empty();
        requests++;
        try {
          HttpResponse<String> response = http.send(BulkHttp.request(statusUrl).header("Accept", "application/json")
              .GET(), true, HttpResponse.BodyHandlers.ofString());
          int status = response.statusCode();
          retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
          if (status == 200) {
            progress.show("complete");
            return Manifest.parse(response.body(), statusUrl);
          }
          if (status == 404 || status == 410) {
            throw new JobGone(status);
          }
          if (status == 202) {
            transientFailures = 0;
            progress.show(response.headers().firstValue("X-Progress").orElse("in progress"));
          } else if (status == 429 || status == 503) {
            progress.show("the server asks to wait (HTTP " + status + ")");
          } else if (status == 502 || status == 504) {
            transientFailures = failedAgain(transientFailures, "HTTP " + status);
          } else if (status >= 500 && OutcomeText.isTransient(response.body())) {
            // the reference server's transient_error: 500 with issue code 'transient', the job still running
            transientFailures = failedAgain(transientFailures, "HTTP " + status + ", "
                + OutcomeText.summary(response.body()));
          } else {
            throw new BulkException("the export failed on the server (HTTP " + status + "): "
                + OutcomeText.summary(response.body()));
          }
        } catch (IOException e) {
          transientFailures = failedAgain(transientFailures, e.getClass().getSimpleName());
        }
        Duration wait = interval.next(retryAfter);
        if (clock.instant().plus(wait).isAfter(deadline)) {
          throw new BulkException("the export did not finish within the --export-timeout of " + timeout.toMinutes()
              + " min" + (wait.compareTo(Duration.ofMinutes(1)) > 0 ? " (the server asks to wait " + wait.toSeconds()
              + " s more)" : "") + "; the job is kept: started again with the same --out, the screen resumes it");
        }
        waitShowingProgress(wait);
      }
    } finally {
      progress.end();
    }
  }

  private int failedAgain(int failures, String what) throws BulkException {
    if (failures + 1 >= TRANSIENT_FAILURES) {
      throw new BulkException("the export's status could not be read " + TRANSIENT_FAILURES + " times in a row ("
          + what + "); started again with the same --out, the screen resumes the job");
    }
    progress.show("status not readable (" + what + "), trying again");
    return failures + 1;
  }

  private void waitShowingProgress(Duration wait) throws InterruptedException {
    Duration left = wait;
    while (left.compareTo(TICK) > 0) {
      sleeper.sleep(TICK);
      left = left.minus(TICK);
      progress.tick();
    }
    sleeper.sleep(left);
  }
}
