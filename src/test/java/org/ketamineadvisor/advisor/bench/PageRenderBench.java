package org.ketamineadvisor.advisor.bench;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue #5's page target: server time from the launch callback to the rendered verdict page for a typical
 * Synthea patient, against the sandbox (bearer-protected HAPI JPA on H2). Each round is a fresh EHR launch,
 * so every page read the record from the FHIR server. Run: {@code scripts/bench.sh page}.
 */
public final class PageRenderBench {

  static final String TYPICAL = "src/test/resources/synthea/neuropathy-Jose_Emilio366_Maestas764_03976b21-e42b-4e77-28cf-1d86f14b7ff1.json";

  private PageRenderBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int port = SandboxEhr.freePort();
    String app = "http://localhost:" + port;
    // Synthea names its files …_<patient id>.json
    String patientId = TYPICAL.substring(TYPICAL.lastIndexOf('_') + 1, TYPICAL.length() - ".json".length());
    try (SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(app)
        .withExtraSeeds(List.of(Path.of(TYPICAL))))) {
      List<String> appArgs = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox).stream()
          .filter(a -> !a.startsWith("--advisor.pages.as-of=")).toList());
      appArgs.addAll(List.of("--server.port=" + port, "--advisor.pages.as-of=2025-01-01", "--logging.level.root=WARN"));
      try (ConfigurableApplicationContext context =
          SpringApplication.run(KetamineAdvisorApplication.class, appArgs.toArray(String[]::new))) {
        long[] pageMillis = new long[rounds];
        for (int round = -3; round < rounds; round++) { // three warm-up launches
          SandboxBrowser browser = new SandboxBrowser();
          browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
          HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(patientId)));
          String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(),
              null);
          browser.get(callback);
          long started = System.nanoTime();
          HttpResponse<String> page = browser.get(app + "/patient");
          long millis = (System.nanoTime() - started) / 1_000_000;
          if (page.statusCode() != 200 || !page.body().contains("id=\"verdict\"")) {
            throw new IllegalStateException("no verdict page: HTTP " + page.statusCode());
          }
          if (round >= 0) {
            pageMillis[round] = millis;
          }
        }
        Arrays.sort(pageMillis);
        System.out.printf("page render after launch, typical Synthea patient (%s), %d launches:%n", patientId, rounds);
        System.out.printf("  p50 %d ms, p90 %d ms, max %d ms%n", pageMillis[rounds / 2], pageMillis[rounds * 9 / 10],
            pageMillis[rounds - 1]);
      }
    }
    System.exit(0);
  }
}
