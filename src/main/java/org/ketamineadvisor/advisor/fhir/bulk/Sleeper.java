package org.ketamineadvisor.advisor.fhir.bulk;

import java.time.Duration;

/** Waits; tests pass one that records the waits instead. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** The real one. */
  static Sleeper system() {
    return duration -> Thread.sleep(Math.max(0, duration.toMillis()));
  }
}
