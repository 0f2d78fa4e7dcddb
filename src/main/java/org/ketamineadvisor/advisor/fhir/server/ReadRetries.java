package org.ketamineadvisor.advisor.fhir.server;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection.RequestTally;

/**
 * Bounded retries of an idempotent request — every read, and the write transaction (idempotent because each of
 * its creates is conditional): on connection errors and timeouts, HTTP 429 and 5xx, and a body that is not valid
 * FHIR JSON (a truncated response). The wait doubles from the initial backoff; a Retry-After (seconds or an HTTP
 * date) is honoured, and one asking for more than the configured longest wait ends the retries rather than retrying
 * early. Other HTTP errors (4xx) are not retried. Between tries a {@link Settle} may end the retries with a result
 * found some other way: the writer looks on the server for a write whose answer was lost.
 */
final class ReadRetries {

  /** Waits between tries; tests and benchmarks may replace it. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * Asked after each failed try (after the wait, before the next try, and before giving up): a result that makes
   * another try needless, or empty to go on. {@code reason} says for a person why the try failed.
   */
  @FunctionalInterface
  interface Settle<T> {
    Optional<T> settle(String reason);
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReadRetries.class);

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
    return call(tally, request, reason -> Optional.empty());
  }

  /**
   * As {@link #call(RequestTally, Supplier)}, asking {@code settle} after each transient failure whether a result is
   * known without trying again; a refusal (4xx other than 429) is thrown at once, with the server's exception.
   */
  <T> T call(RequestTally tally, Supplier<T> request, Settle<T> settle) throws ReadFailure {
    for (int attempt = 1; ; attempt++) {
      String reason;
      Duration wait;
      try {
        return request.get();
      } catch (FhirClientConnectionException e) {
        tally.failedRequestEnded();
        reason = lostAnswer(e);
        wait = backoff(attempt);
      } catch (BaseServerResponseException e) {
        if (e instanceof InternalErrorException && e.getCause() instanceof java.io.IOException lost) {
          // not the server's 500: HAPI wraps, as if it were one, the I/O error thrown while RequestTally reads the
          // whole body (an answer cut off in transit, or too slow)
          reason = lostAnswer(lost);
          wait = backoff(attempt);
        } else {
          int status = e.getStatusCode();
          String outcome = OperationOutcomeText.of(e.getOperationOutcome());
          reason = "HTTP " + status + (outcome == null ? "" : " (" + outcome + ")");
          if (status != 429 && status < 500) {
            throw new ReadFailure(reason, e);
          }
          // read before settle sends requests of its own, which replace the remembered header
          wait = retryAfter(tally.lastRetryAfter()).orElse(backoff(attempt));
        }
      } catch (DataFormatException e) {
        reason = "the server's answer was cut short or was not valid FHIR JSON (" + firstLine(e.getMessage()) + ")";
        wait = backoff(attempt);
      }
      boolean lastTry = attempt >= settings.maxTries();
      boolean waitTooLong = wait.compareTo(settings.maxWait()) > 0;
      boolean interrupted = false;
      if (!lastTry && !waitTooLong) {
        try {
          // waiting before settle, too: an answer lost to a timeout may still be on its way into the server
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          interrupted = true;
        }
      }
      Optional<T> settled = settle.settle(reason);
      if (settled.isPresent()) {
        return settled.get();
      }
      if (interrupted) {
        throw new ReadFailure(reason + "; interrupted while waiting to retry");
      }
      if (lastTry) {
        throw new ReadFailure(reason + " after " + attempt + (attempt == 1 ? " try" : " tries"));
      }
      if (waitTooLong) {
        throw new ReadFailure(reason + "; the server asked to wait " + seconds(wait)
            + ", longer than the " + seconds(settings.maxWait()) + " the app waits");
      }
      // one line for a person, without a stack trace: the command line shows it as a note on stderr
      log.info("{}; trying again ({} of {})", reason, attempt + 1, settings.maxTries());
      retries.incrementAndGet();
    }
  }

  /** Why an answer was lost, in words, without the HTTP library's internals. */
  private String lostAnswer(Exception e) {
    // the network cause first: HAPI words a timeout while reading the body as "Failed to parse response …" too
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return "no answer within " + seconds(settings.socketTimeout());
      }
      if (t instanceof java.net.ConnectException) {
        return "the server could not be reached (" + firstLine(t.getMessage()) + ")";
      }
      if (t instanceof java.net.UnknownHostException) {
        // Java's message is the host, sometimes followed by the resolver's words ("host: Name or service not known")
        return "the server's host name " + firstLine(t.getMessage()).replaceFirst(":.*", "")
            + " could not be found";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "the secure connection to the server failed (" + firstLine(t.getMessage()) + ")";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      // a body that ended before its announced length or its last chunk
      if (t instanceof DataFormatException || t instanceof org.apache.http.ConnectionClosedException
          || t instanceof org.apache.http.MalformedChunkCodingException
          || (t.getMessage() != null && t.getMessage().contains("Failed to parse"))) {
        return "the server's answer was cut short or was not valid FHIR JSON";
      }
    }
    return "connection failed (" + firstLine(e.getMessage()) + ")";
  }

  /** The wait before retry number {@code attempt}: doubling from the initial backoff, at most the longest wait. */
  Duration backoff(int attempt) {
    Duration d = settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    return d.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : d;
  }

  /** Retry-After as delta-seconds or an HTTP date; empty when absent or unreadable. */
  Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String v = header.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
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

}
