package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves HAPI's Batch2 jobs (the bulk exports) from step to step. HAPI does that in a scheduled "maintenance pass";
 * the sandbox runs with HAPI's scheduler off ({@code setSchedulingDisabled}: Quartz and a dozen housekeeping jobs
 * would cost start-up time and CPU in every test), so this runs the pass itself, a few times a second, from the
 * first bulk export kick-off on. A server that never exports starts no thread.
 */
final class Batch2JobDriver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Batch2JobDriver.class);

  /** Short, so that an export of a few patients is ready within a second or two. */
  static final Duration PASS_INTERVAL = Duration.ofMillis(250);

  private final IJobMaintenanceService maintenance;
  private ScheduledExecutorService passes;
  private boolean closed;

  Batch2JobDriver(IJobMaintenanceService maintenance, IInterceptorService interceptors) {
    this.maintenance = maintenance;
    interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_INITIATE_BULK_EXPORT, (pointcut, params) -> start());
  }

  private synchronized void start() {
    if (passes != null || closed) {
      return;
    }
    passes = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "sandbox-batch2-maintenance");
      thread.setDaemon(true);
      return thread;
    });
    passes.scheduleWithFixedDelay(this::pass, 0, PASS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pass() {
    try {
      maintenance.runMaintenancePass();
    } catch (RuntimeException e) {
      // the next pass tries again; a pass failing while the server shuts down is expected
      log.debug("Batch2 maintenance pass failed: {}", e.toString());
    }
  }

  /** Stops the passes before the database they read goes away (Spring closes this bean before its dependencies). */
  @Override
  public synchronized void close() throws InterruptedException {
    closed = true;
    if (passes != null) {
      passes.shutdownNow();
      passes.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
