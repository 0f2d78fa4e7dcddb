package org.ketamineadvisor.advisor.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.CdsClient;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (not a test): the CDS Hooks order-select call with complete prefetch, as the sandbox EHR makes it
 * (a freshly signed RS384 JWT each time, HTTP on localhost), for showcase patients of several verdicts, one client
 * at a time and four at once. Usage: {@code CdsHookBench [CALLS]}; prints p50/p90/p99/max per run.
 */
public final class CdsHookBench {

  private CdsHookBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int port = SandboxEhr.freePort();
    String app = "http://localhost:" + port;
    try (SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(app))) {
      List<String> appArgs = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox));
      appArgs.addAll(List.of("--server.port=" + port, "--logging.level.root=WARN"));
      try (ConfigurableApplicationContext context =
          SpringApplication.run(KetamineAdvisorApplication.class, appArgs.toArray(String[]::new))) {
        CdsClient client = CdsClient.of(sandbox);
        List<CdsClient.Prepared> prepared = new ArrayList<>();
        for (String patient : List.of("crps-suitable", "opioid-benzo", "psychosis-contraindicated", "needs-information")) {
          prepared.add(client.prepare("order-select", patient, "Practitioner/dr-ada"));
        }
        run(client, prepared, 200, 1); // warm-up
        report("one client", run(client, prepared, calls, 1));
        report("four clients at once", run(client, prepared, calls, 4));
      }
    }
  }

  private static long[] run(CdsClient client, List<CdsClient.Prepared> prepared, int calls, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Long>> timings = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      CdsClient.Prepared call = prepared.get(i % prepared.size());
      timings.add(pool.submit(() -> {
        long started = System.nanoTime();
        HttpResponse<String> response = client.post(call);
        long micros = (System.nanoTime() - started) / 1_000;
        if (response.statusCode() != 200 || !response.body().contains("\"cards\"")) {
          throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return micros;
      }));
    }
    long[] micros = new long[calls];
    for (int i = 0; i < calls; i++) {
      micros[i] = timings.get(i).get();
    }
    pool.shutdown();
    Arrays.sort(micros);
    return micros;
  }

  private static void report(String what, long[] micros) {
    System.out.printf("order-select with complete prefetch, %s, %d calls: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
        + "max %.1f ms%n", what, micros.length, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99),
        micros[micros.length - 1] / 1000.0);
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }
}
