package org.ketamineadvisor.advisor.fhir.server;

import java.time.Duration;

/**
 * How the app talks to a FHIR server: timeouts, bounded retries of reads, the search page size and
 * the bearer token. The token is never part of {@link #toString()} so that it cannot reach a log.
 *
 * @param connectTimeout time to open a connection
 * @param socketTimeout longest silence while waiting for or reading a response
 * @param maxRetries retries of a failed read after the first try (0 = no retry)
 * @param initialBackoff wait before the first retry; doubled for each further retry
 * @param maxWait longest wait before one retry; a Retry-After asking for more ends the retries
 * @param pageSize the {@code _count} of each search
 * @param bearerToken the access token sent as {@code Authorization: Bearer}; null for none
 */
public record FhirClientSettings(Duration connectTimeout, Duration socketTimeout, int maxRetries,
    Duration initialBackoff, Duration maxWait, int pageSize, String bearerToken) {

  public FhirClientSettings {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(socketTimeout, "socketTimeout");
    requirePositive(maxWait, "maxWait");
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be zero or more, got " + initialBackoff);
    }
    if (maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException("maxRetries must be between 0 and 10, got " + maxRetries);
    }
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("pageSize must be between 1 and 1000, got " + pageSize);
    }
    if (bearerToken != null && bearerToken.isBlank()) {
      bearerToken = null;
    }
  }

  /** 5 s to connect, 30 s of silence, 2 retries (3 tries) starting at 0.5 s, waits up to 10 s, pages of 200. */
  public static FhirClientSettings defaults() {
    return new FhirClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 2, Duration.ofMillis(500),
        Duration.ofSeconds(10), 200, null);
  }

  public FhirClientSettings withBearerToken(String token) {
    return new FhirClientSettings(connectTimeout, socketTimeout, maxRetries, initialBackoff, maxWait, pageSize, token);
  }

  public FhirClientSettings withTimeouts(Duration connect, Duration socket) {
    return new FhirClientSettings(connect, socket, maxRetries, initialBackoff, maxWait, pageSize, bearerToken);
  }

  public FhirClientSettings withRetries(int retries, Duration backoff, Duration wait) {
    return new FhirClientSettings(connectTimeout, socketTimeout, retries, backoff, wait, pageSize, bearerToken);
  }

  public FhirClientSettings withPageSize(int size) {
    return new FhirClientSettings(connectTimeout, socketTimeout, maxRetries, initialBackoff, maxWait, size, bearerToken);
  }

  /** Tries in all for one read: the first and the retries. */
  public int maxTries() {
    return maxRetries + 1;
  }

  @Override
  public String toString() {
    return "FhirClientSettings[connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
        + ", maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff + ", maxWait=" + maxWait
        + ", pageSize=" + pageSize + ", bearerToken=" + (bearerToken == null ? "none" : "(hidden)") + "]";
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
