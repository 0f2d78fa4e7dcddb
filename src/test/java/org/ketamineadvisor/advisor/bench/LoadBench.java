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
 * (HAPI JPA on H2, the authorization server), Redis, the balancer and the instances share its cores. The clinicians
 * sign in to the EHR before the clock starts (once a day, not part of a launch). {@code FHIR_LATENCY_MS} holds every
 * FHIR request that long before the EHR answers, as a remote EHR's network would (0: the EHR on this machine only).
 * Usage: {@code LoadBench INSTANCES CLINICIANS LAUNCHES_EACH [FHIR_LATENCY_MS]}.
 */
public final class LoadBench {

  private static final List<String> PATIENTS = List.of("crps-suitable", "opioid-benzo", "psychosis-contraindicated",
      "needs-information", "sci-precautions");

  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int clinicians = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int each = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    java.time.Duration latency = java.time.Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 0);
    if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      throw new IllegalStateException("LoadBench needs redis-server (apt-get install redis-server)");
    }
    int redisPort = SandboxEhr.freePort();
    Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(redisPort), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int balancerPort = SandboxEhr.freePort();
    List<ConfigurableApplicationContext> apps = new ArrayList<>();
    try (SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults()
        .withAppBase("http://localhost:" + balancerPort).withFhirLatency(latency))) {
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
        long[] ms = r.sorted(0);
        System.out.printf("%d instance(s), %d clinicians × %d launches, FHIR latency %d ms: %.1f launches/s, "
            + "p50 %d ms, p99 %d ms, max %d ms, errors %d%n", instances, clinicians, each, latency.toMillis(),
            r.launches().length * 1000.0 / r.wallMillis(), percentile(ms, 0.50), percentile(ms, 0.99),
            ms[ms.length - 1], r.errors());
        String[] phases = {"app /launch", "EHR authorize + consent", "app callback", "app page (read + verdict)"};
        StringBuilder line = new StringBuilder("  p50/p99 by step:");
        for (int i = 0; i < phases.length; i++) {
          long[] step = r.sorted(i + 1);
          line.append(String.format(" %s %d/%d ms;", phases[i], percentile(step, 0.50), percentile(step, 0.99)));
        }
        System.out.println(line);
        int n = Math.max(1, r.launches().length);
        System.out.printf("CPU per launch: app %d ms, EHR %d ms, browsers + balancer + JVM %d ms (%d cores)%n",
            r.cpuNanos().get("app") / 1_000_000 / n, r.cpuNanos().get("ehr") / 1_000_000 / n,
            r.cpuNanos().get("rest") / 1_000_000 / n, Runtime.getRuntime().availableProcessors());
      }
    } finally {
      apps.forEach(ConfigurableApplicationContext::close);
      redis.destroy();
    }
  }

  /** Per launch: the whole, then the app's /launch, the EHR's authorization and consent, the callback, the page. */
  private record Result(long[][] launches, long wallMillis, int errors, java.util.Map<String, Long> cpuNanos) {

    long[] sorted(int phase) {
      long[] ms = Arrays.stream(launches).mapToLong(l -> l[phase]).sorted().toArray();
      return ms.length == 0 ? new long[] {0} : ms;
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[(int) Math.ceil(p * sorted.length) - 1];
  }

  /**
   * CPU time of every live thread, by who it works for: the app instances (their Tomcat on a free port,
   * {@code http-nio-auto-*}; their FHIR request threads; their Redis client), the EHR (its Tomcat on its fixed port,
   * HAPI's threads), and the rest (the simulated browsers, the balancer, the JVM). Threads that end during a run
   * lose their time, so the rest is the process's CPU minus the app's and the EHR's.
   */
  private static java.util.Map<Long, long[]> threadCpu() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<Long, long[]> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        String name = info.getThreadName();
        long who = name.startsWith("http-nio-auto-") || name.startsWith("fhir-request-") || name.startsWith("lettuce")
            ? 0 : name.matches("http-nio-\\d+-.*") || name.startsWith("hapi") || name.startsWith("search-parameter")
            ? 1 : 2;
        out.put(info.getThreadId(), new long[] {who, Math.max(cpu, 0)});
      }
    }
    return out;
  }

  private static java.util.Map<String, Long> cpuSince(java.util.Map<Long, long[]> before, long processBefore) {
    long[] sums = new long[2];
    threadCpu().forEach((id, now) -> {
      if (now[0] < 2) {
        long[] then = before.get(id);
        sums[(int) now[0]] += now[1] - (then == null ? 0 : then[1]);
      }
    });
    long process = processCpu() - processBefore;
    return java.util.Map.of("app", sums[0], "ehr", sums[1], "rest", Math.max(0, process - sums[0] - sums[1]));
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static Result run(SandboxEhr sandbox, int clinicians, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clinicians);
    AtomicInteger errors = new AtomicInteger();
    java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Future<List<long[]>>> futures = new ArrayList<>();
    java.util.concurrent.CyclicBarrier signedIn = new java.util.concurrent.CyclicBarrier(clinicians + 1);
    for (int c = 0; c < clinicians; c++) {
      int clinician = c;
      futures.add(pool.submit(() -> {
        List<long[]> times = new ArrayList<>();
        SandboxBrowser browser = new SandboxBrowser();
        try {
          browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
        } finally {
          signedIn.await();
        }
        for (int i = 0; i < each; i++) {
          String patient = PATIENTS.get((clinician + i) % PATIENTS.size());
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(patient)));
            long t1 = System.nanoTime();
            String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)),
                Set.of(), null);
            long t2 = System.nanoTime();
            HttpResponse<String> afterCallback = browser.get(callback);
            long t3 = System.nanoTime();
            HttpResponse<String> page = browser.get(SandboxBrowser.location(afterCallback));
            long t4 = System.nanoTime();
            if (page.statusCode() != 200 || !page.body().contains("id=\"verdict\"")) {
              errors.incrementAndGet();
              failures.add(patient + ": the page answered " + page.statusCode() + " " + page.body()
                  .replaceAll("(?s).*<title>(.*?)</title>.*", "$1").strip());
              continue;
            }
            times.add(new long[] {(t4 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000});
          } catch (RuntimeException | AssertionError e) {
            errors.incrementAndGet();
            failures.add(patient + ": " + e);
          }
        }
        return times;
      }));
    }
    signedIn.await();
    java.util.Map<Long, long[]> cpuBefore = threadCpu();
    long processBefore = processCpu();
    long started = System.nanoTime();
    List<long[]> all = new ArrayList<>();
    for (Future<List<long[]>> f : futures) {
      all.addAll(f.get());
    }
    long wall = (System.nanoTime() - started) / 1_000_000;
    java.util.Map<String, Long> cpu = cpuSince(cpuBefore, processBefore);
    pool.shutdown();
    failures.stream().limit(5).forEach(f -> System.out.println("error: " + f));
    return new Result(all.toArray(long[][]::new), wall, errors.get(), cpu);
  }
}
