package org.ketamineadvisor.advisor.fhir.bulk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A clock that moves only when someone sleeps on it: the export's waits (Retry-After, backoff, token lifetimes) are
 * real waits in the protocol but cost no test time. Shared by the client and the scripted server.
 */
final class FakeTime extends Clock implements Sleeper {

  private volatile Instant now;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  FakeTime(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  /** Every wait asked for, in order. */
  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The total time slept. */
  Duration slept() {
    return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
