package org.ketamineadvisor.advisor.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.ketamineadvisor.advisor.fhir.FhirServerConnection.RequestTally;

/**
 * Bounded retries of an idempotent GET: on connection errors and timeouts, HTTP 429 and 5xx, and a
 * body that is not valid FHIR JSON (a truncated response). The wait doubles from the initial backoff;
 * a Retry-After (seconds or an HTTP date) is honoured, and one asking for more than the configured
 * longest wait ends the retries rather than retrying early. Other HTTP errors (4xx) are not retried.
 */
final class ReadRetries {

  /** Waits between tries; tests and benchmarks may replace it. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final FhirClientSettings settings;
  private final Clock clock;
  private final Sleeper sleeper;
  private final AtomicInteger retries = new AtomicInteger();

  ReadRetries(FhirClientSettings settings, Clock clock, Sleeper sleeper) {
    this.settings = settings;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  int retries() {
    return retries.get();
  }

  /** Runs the request, retrying transient failures; throws with the last reason when it still fails. */
  <T> T call(RequestTally tally, Supplier<T> request) throws ReadFailure {
    String reason = null;
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        return request.get();
      } catch (FhirClientConnectionException e) {
        tally.failedRequestEnded();
        reason = e.getCause() instanceof java.net.SocketTimeoutException
            ? "no answer within " + seconds(settings.socketTimeout())
            : "connection failed (" + firstLine(e.getMessage()) + ")";
        wait = backoff(attempt);
      } catch (BaseServerResponseException e) {
        int status = e.getStatusCode();
        String outcome = OperationOutcomeText.of(e.getOperationOutcome());
        reason = "HTTP " + status + (outcome == null ? "" : " (" + outcome + ")");
        if (status != 429 && status < 500) {
          throw new ReadFailure(reason);
        }
        wait = retryAfter(tally.lastRetryAfter()).orElse(backoff(attempt));
      } catch (DataFormatException e) {
        reason = "the server's answer was not valid FHIR JSON (" + firstLine(e.getMessage()) + ")";
        wait = backoff(attempt);
      }
      if (attempt >= settings.maxTries()) {
        throw new ReadFailure(reason + " after " + attempt + (attempt == 1 ? " try" : " tries"));
      }
      if (wait.compareTo(settings.maxWait()) > 0) {
        throw new ReadFailure(reason + "; the server asked to wait " + seconds(wait)
            + ", longer than the " + seconds(settings.maxWait()) + " the app waits");
      }
      retries.incrementAndGet();
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReadFailure(reason + "; interrupted while waiting to retry");
      }
    }
  }

  /** The wait before retry number {@code attempt}: doubling from the initial backoff, at most the longest wait. */
  Duration backoff(int attempt) {
    Duration d = settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    return d.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : d;
  }

  /** Retry-After as delta-seconds or an HTTP date; empty when absent or unreadable. */
  java.util.Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return java.util.Optional.empty();
    }
    String v = header.trim();
    try {
      return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return java.util.Optional.empty();
      }
    }
  }

  /** "30 s", "0.5 s". */
  static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    String line = message.lines().findFirst().orElse(message).strip();
    // HAPI prefixes its messages with an internal code ("HAPI-1360: ")
    return line.replaceFirst("^HAPI-\\d+: ", "");
  }

  /** A read that still failed after the retries; the reason is meant for a person. */
  static final class ReadFailure extends Exception {
    ReadFailure(String reason) {
      super(reason, null, false, false);
    }
  }
}
