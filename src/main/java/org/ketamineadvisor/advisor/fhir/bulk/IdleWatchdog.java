package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Ends a download whose body stalls: once the headers came, a server (or a proxy) may send no further byte and keep
 * the connection open, and the HTTP client has no read timeout for a streamed body, so the screen would hang forever.
 * A daemon thread watches the time of the last byte; after {@code idle} without one it closes the body stream and
 * interrupts the reading thread (a blocked read wakes either way), and {@link #stalled()} tells the reader why its
 * read failed, so that the attempt counts as a retryable failure. Closing the watchdog stops it; from then on it
 * interrupts nothing.
 */
final class IdleWatchdog implements AutoCloseable {

  private final InputStream body;
  private final Duration idle;
  private final Thread reader;
  private final Thread watcher;
  private volatile long lastByte = System.nanoTime();
  private boolean closed;
  private volatile boolean stalled;

  IdleWatchdog(InputStream body, Duration idle) {
    this.body = body;
    this.idle = idle;
    this.reader = Thread.currentThread();
    this.watcher = new Thread(this::watch, "bulk-download-idle-watchdog");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Bytes arrived: the idle time starts again. */
  void progress() {
    lastByte = System.nanoTime();
  }

  /** Whether the watchdog ended the download because no byte came for the idle time. */
  boolean stalled() {
    return stalled;
  }

  private void watch() {
    long idleNanos = idle.toNanos();
    try {
      while (true) {
        long left = lastByte + idleNanos - System.nanoTime();
        if (left > 0) {
          Thread.sleep(Math.max(1, left / 1_000_000));
          continue;
        }
        synchronized (this) {
          if (closed) {
            return;
          }
          stalled = true;
          reader.interrupt();
        }
        try {
          body.close();
        } catch (IOException ignored) {
          // the interrupt already wakes the reader
        }
        return;
      }
    } catch (InterruptedException stopped) {
      // closed: the download ended on its own
    }
  }

  /** Stops watching; when the watchdog had fired, clears the interrupt it sent to the reading thread. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    watcher.interrupt();
    if (stalled) {
      Thread.interrupted();
    }
  }
}
