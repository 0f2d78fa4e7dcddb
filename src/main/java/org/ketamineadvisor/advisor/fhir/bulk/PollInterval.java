package org.ketamineadvisor.advisor.fhir.bulk;

import java.time.Duration;
import java.util.Optional;

/**
 * How long to wait before the next status request. A server's Retry-After above one second is honoured as given
 * (never polled faster); with none, or one second, the client's own interval grows from 1 s by half each time up to
 * {@link #CAP}, because the reference server locks out an address for 5 minutes after 60 status requests a minute.
 */
final class PollInterval {

  static final Duration START = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofSeconds(30);

  private Duration own = START;

  /** The wait before the next request, given the last answer's Retry-After (if any). */
  Duration next(Optional<Duration> retryAfter) {
    Duration grown = own;
    own = min(CAP, Duration.ofMillis(own.toMillis() * 3 / 2));
    if (retryAfter.isPresent() && retryAfter.get().compareTo(START) > 0) {
      return retryAfter.get();
    }
    return grown;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
