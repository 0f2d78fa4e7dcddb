package org.ketamineadvisor.advisor.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.ketamineadvisor.advisor.session.Balancer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load benchmark (not a test): concurrent clinicians each launching the app from the sandbox EHR for a showcase
 * patient, through a round-robin balancer without sticky sessions to 1 or 2 instances sharing Debian's redis-server
 * — launch, the EHR's authorization and consent, the callback, the verdict page. Prints launches per second, p50/p99
 * of a launch (from the launch URL to the verdict page) and the errors. Everything runs on this machine: the EHR
 * (HAPI JPA on H2, the authorization server), Redis, the balancer and the instances share its cores.
 * Usage: {@code LoadBench INSTANCES CLINICIANS LAUNCHES_EACH}.
 */
public final class LoadBench {

  private static final List<String> PATIENTS = List.of("crps-suitable", "opioid-benzo", "psychosis-contraindicated",
      "needs-information", "sci-precautions");

  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int clinicians = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int each = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      throw new IllegalStateException("LoadBench needs redis-server (apt-get install redis-server)");
    }
    int redisPort = SandboxEhr.freePort();
    Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(redisPort), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int balancerPort = SandboxEhr.freePort();
    List<ConfigurableApplicationContext> apps = new ArrayList<>();
    try (SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults()
        .withAppBase("http://localhost:" + balancerPort))) {
      List<String> backends = new ArrayList<>();
      String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
      for (int i = 0; i < instances; i++) {
        // the EHR's launch page is not part of the launch measured here: no patient-view call
        List<String> appArgs = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox).stream()
            .filter(a -> !a.startsWith("--advisor.cds.patient-view=")).toList());
        appArgs.addAll(List.of("--server.port=0", "--advisor.session.store=redis",
            "--spring.data.redis.port=" + redisPort, "--advisor.session.encryption-keys=" + key,
            "--server.forward-headers-strategy=framework", "--logging.level.root=WARN"));
        ConfigurableApplicationContext app = SpringApplication.run(KetamineAdvisorApplication.class,
            appArgs.toArray(String[]::new));
        apps.add(app);
        backends.add("http://localhost:" + app.getEnvironment().getProperty("local.server.port"));
      }
      try (Balancer balancer = Balancer.roundRobin(balancerPort, backends)) {
        run(sandbox, Math.min(clinicians, 10), 2); // warm-up
        Result r = run(sandbox, clinicians, each);
        long[] ms = r.millis();
        Arrays.sort(ms);
        System.out.printf("%d instance(s), %d clinicians × %d launches: %.1f launches/s, p50 %d ms, p99 %d ms, "
            + "max %d ms, errors %d%n", instances, clinicians, each, ms.length * 1000.0 / r.wallMillis(),
            ms[(int) Math.ceil(0.50 * ms.length) - 1], ms[(int) Math.ceil(0.99 * ms.length) - 1], ms[ms.length - 1],
            r.errors());
      }
    } finally {
      apps.forEach(ConfigurableApplicationContext::close);
      redis.destroy();
    }
  }

  private record Result(long[] millis, long wallMillis, int errors) {}

  private static Result run(SandboxEhr sandbox, int clinicians, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clinicians);
    AtomicInteger errors = new AtomicInteger();
    List<Future<List<Long>>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clinicians; c++) {
      int clinician = c;
      futures.add(pool.submit(() -> {
        List<Long> times = new ArrayList<>();
        SandboxBrowser browser = new SandboxBrowser();
        browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
        for (int i = 0; i < each; i++) {
          String patient = PATIENTS.get((clinician + i) % PATIENTS.size());
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(patient)));
            String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)),
                Set.of(), null);
            HttpResponse<String> afterCallback = browser.get(callback);
            HttpResponse<String> page = browser.get(SandboxBrowser.location(afterCallback));
            if (page.statusCode() != 200 || !page.body().contains("id=\"verdict\"")) {
              errors.incrementAndGet();
              continue;
            }
            times.add((System.nanoTime() - t0) / 1_000_000);
          } catch (RuntimeException | AssertionError e) {
            errors.incrementAndGet();
          }
        }
        return times;
      }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> f : futures) {
      all.addAll(f.get());
    }
    long wall = (System.nanoTime() - started) / 1_000_000;
    pool.shutdown();
    return new Result(all.stream().mapToLong(Long::longValue).toArray(), wall, errors.get());
  }
}
