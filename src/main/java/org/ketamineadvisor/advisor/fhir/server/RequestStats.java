package org.ketamineadvisor.advisor.fhir.server;

import java.time.Duration;

/**
 * What one read or write cost: HTTP requests sent (retries included), how many of them were retries,
 * the summed time from sending each request to having its whole body (the server's share, plus the
 * network), and the wall-clock time of the whole operation (requests run in parallel, so the sum
 * may exceed the wall time).
 */
public record RequestStats(int roundTrips, int retries, Duration serverWait, Duration wallTime) {
  public static final RequestStats NONE = new RequestStats(0, 0, Duration.ZERO, Duration.ZERO);
}
