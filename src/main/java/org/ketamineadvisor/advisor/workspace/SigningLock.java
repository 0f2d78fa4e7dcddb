package org.ketamineadvisor.advisor.workspace;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds one patient's signing (the fresh chart search and the write) to one at a time, so that two clinicians
 * signing the same patient at once never both find "no active plan". {@link #inThisJvm()} serves one instance; with
 * several, the shared store's lock ({@code session/RedisSigningLock}) serves them all.
 */
public interface SigningLock {

  /** A held lock; closing it releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for the lock of {@code key} (the FHIR base and patient).
   *
   * @throws IllegalStateException when it cannot be had in reasonable time (nothing is written then)
   */
  Held acquire(String key);

  /** Striped locks in this JVM: enough for one instance. */
  static SigningLock inThisJvm() {
    ReentrantLock[] stripes = new ReentrantLock[64];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new ReentrantLock();
    }
    return key -> {
      ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
      lock.lock();
      return lock::unlock;
    };
  }
}
