package org.ketamineadvisor.advisor.fhir.bulk;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header in the three forms real Bulk Data servers send: delta-seconds (RFC 9110), an
 * HTTP-date, and an absolute epoch timestamp (the SMART reference server sends epoch seconds on 429). An integer
 * above 10^9 cannot be a sensible delay in seconds (31 years), so it is read as epoch seconds, and above 10^12 as
 * epoch milliseconds. A moment already past means "now": zero.
 */
public final class RetryAfter {

  static final long EPOCH_SECONDS_ABOVE = 1_000_000_000L;
  static final long EPOCH_MILLIS_ABOVE = 1_000_000_000_000L;

  private RetryAfter() {}

  /** The wait the header asks for, measured from {@code now}; empty when there is no header or it is not readable. */
  public static Optional<Duration> parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.matches("\\d{1,19}")) {
      long number = Long.parseLong(value);
      if (number > EPOCH_MILLIS_ABOVE) {
        return Optional.of(until(Instant.ofEpochMilli(number), now));
      }
      if (number > EPOCH_SECONDS_ABOVE) {
        return Optional.of(until(Instant.ofEpochSecond(number), now));
      }
      return Optional.of(Duration.ofSeconds(number));
    }
    if (value.matches("\\d+\\.\\d+")) {
      return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)));
    }
    try {
      return Optional.of(until(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), now));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration until(Instant moment, Instant now) {
    Duration wait = Duration.between(now, moment);
    return wait.isNegative() ? Duration.ZERO : wait;
  }
}
