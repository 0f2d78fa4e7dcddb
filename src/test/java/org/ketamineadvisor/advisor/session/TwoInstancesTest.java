package org.ketamineadvisor.advisor.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two app instances behind a load balancer without sticky sessions, sharing Debian's redis-server (started on a free
 * port): a launch begins on A, its callback lands on B, the page, a statement and the signing alternate, and A is
 * stopped in the middle — the clinician never notices and exactly one write happens. Nothing in Redis shows the
 * patient's name or a token. Skipped, with the reason printed, when redis-server is not installed.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

  private static final Path REDIS = Path.of("/usr/bin/redis-server");
  private static Process redis;
  private static int redisPort;
  private static SandboxEhr sandbox;
  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;
  private static String aBase;
  private static String bBase;
  private static Balancer balancer;
  private static String key;
  private static final AtomicReference<String> TARGET = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(REDIS)) {
      String why = "two-instance test skipped: " + REDIS + " is not installed (apt-get install redis-server; .ci/run "
          + "installs it); the single-instance suite still runs";
      System.out.println(why);
      Assumptions.abort(why);
    }
    redisPort = SandboxEhr.freePort();
    redis = new ProcessBuilder(REDIS.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    waitForRedis();
    int balancerPort = SandboxEhr.freePort();
    String publicBase = "http://localhost:" + balancerPort;
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(publicBase));
    key = Base64.getEncoder().encodeToString(new byte[32]).replace("AAAA", "k3ta"); // a test key, 32 bytes
    a = instance(key);
    b = instance(key);
    aBase = "http://localhost:" + a.getEnvironment().getProperty("local.server.port");
    bBase = "http://localhost:" + b.getEnvironment().getProperty("local.server.port");
    balancer = Balancer.start(balancerPort, TARGET::get);
  }

  private static ConfigurableApplicationContext instance(String key) {
    List<String> args = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox));
    args.addAll(List.of("--server.port=0", "--advisor.session.store=redis", "--spring.data.redis.host=127.0.0.1",
        "--spring.data.redis.port=" + redisPort, "--advisor.session.encryption-keys=" + key,
        // behind the balancer: URLs (redirect URIs, the CDS aud) are the balancer's, from X-Forwarded-*
        "--server.forward-headers-strategy=framework", "--logging.level.root=WARN"));
    return SpringApplication.run(KetamineAdvisorApplication.class, args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (balancer != null) {
      balancer.close();
    }
    for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b}) {
      if (c != null && c.isActive()) {
        c.close();
      }
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (redis != null) {
      redis.destroy();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(0)
  void bothInstancesAreReadyWithTheSharedStoreAndACdsCallReplayedOnTheOtherIsRefused() throws Exception {
    for (String base : List.of(aBase, bBase)) {
      HttpResponse<String> ready = health(base + "/actuator/health/readiness");
      assertThat(ready.statusCode()).as(base + " ready: " + ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("UP");
    }
    TARGET.set(aBase);
    org.ketamineadvisor.advisor.sandbox.CdsClient cds = org.ketamineadvisor.advisor.sandbox.CdsClient.of(sandbox);
    var call = cds.prepare("order-select", "crps-suitable", "Practitioner/dr-ada");
    String jwt = cds.signedJwt(call);
    HttpResponse<String> first = cds.post(call, jwt);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.body()).contains("cards");
    TARGET.set(bBase); // the same signed request again, now to the other instance
    HttpResponse<String> replayed = cds.post(call, jwt);
    assertThat(replayed.statusCode()).as("a jti seen by A is refused by B").isEqualTo(401);
    assertThat(replayed.body()).contains("replayed");
    assertThat(cds.post(call, cds.signedJwt(call)).statusCode()).as("a fresh call is answered").isEqualTo(200);
  }

  /**
   * Two clinicians sign the same patient at the same moment, one on each instance: the shared signing lock lets
   * one write and the other find the plan in force (never two active plans).
   */
  @Test
  @org.junit.jupiter.api.Order(1)
  void twoSigningsOfOnePatientOnTwoInstancesAtOnceWriteOnePlan() throws Exception {
    TARGET.set(aBase);
    SandboxBrowser first = launched("sci-precautions");
    SandboxBrowser second = launched("sci-precautions");
    String pageFirst = first.get(balancerUrl("/patient")).body();
    String pageSecond = second.get(balancerUrl("/patient")).body();
    String csrfFirst = SandboxBrowser.csrf(pageFirst);
    String csrfSecond = SandboxBrowser.csrf(pageSecond);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    var onA = two.submit(() -> {
      go.await();
      return first.postForm(aBase + "/patient/sign", SandboxBrowser.form("_csrf", csrfFirst, "launch",
          SandboxBrowser.hiddenFields(pageFirst).get("launch")));
    });
    var onB = two.submit(() -> {
      go.await();
      return second.postForm(bBase + "/patient/sign", SandboxBrowser.form("_csrf", csrfSecond, "launch",
          SandboxBrowser.hiddenFields(pageSecond).get("launch")));
    });
    go.countDown();
    assertThat(onA.get().statusCode()).isEqualTo(302);
    assertThat(onB.get().statusCode()).isEqualTo(302);
    two.shutdown();
    assertThat(carePlans("sci-precautions")).as("exactly one plan from two simultaneous signings").isEqualTo(1);
    // one of the two wrote; the other was refused (the plan already in force, or found signed when its record was read
    // again on the other instance) — which one depends on the race
    String pages = first.get(balancerUrl("/patient")).body() + second.get(balancerUrl("/patient")).body();
    assertThat(pages.split("Signed and written to the chart", -1)).as("exactly one page reports a write").hasSize(2);
  }

  private static SandboxBrowser launched(String patient) {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(patient)));
    String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(), null);
    HttpResponse<String> afterCallback = browser.get(callback);
    assertThat(afterCallback.statusCode()).as(afterCallback.body()).isEqualTo(302);
    return browser;
  }

  private static int carePlans(String patient) {
    var chart = ca.uhn.fhir.context.FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(
        sandbox.readToken(patient)));
    return chart.search().forResource(org.hl7.fhir.r4.model.CarePlan.class)
        .where(org.hl7.fhir.r4.model.CarePlan.PATIENT.hasId(patient)).returnBundle(Bundle.class)
        .execute().getEntry().size();
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void aLaunchSurvivesAlternatingInstancesAndTheLossOfOneAndSignsOnce() throws Exception {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    TARGET.set(aBase);
    HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch("prior-therapy-elsewhere")));
    String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(), null);
    TARGET.set(bBase); // the callback lands on the other instance
    HttpResponse<String> afterCallback = browser.get(callback);
    assertThat(afterCallback.statusCode()).as(afterCallback.body()).isEqualTo(302);
    TARGET.set(aBase);
    HttpResponse<String> page = browser.get(SandboxBrowser.location(afterCallback));
    assertThat(page.body()).contains("Needs information");

    TARGET.set(bBase); // the statement on B
    HttpResponse<String> attested = browser.postForm(balancerUrl("/patient/attest"), SandboxBrowser.form(
        "_csrf", SandboxBrowser.csrf(page.body()), "launch", SandboxBrowser.hiddenFields(page.body()).get("launch"),
        "rule", "IND-PRIOR-THERAPY", "outcome", "met",
        "reason", "Amitriptyline 50 mg tried at another clinic, no relief"));
    assertThat(attested.statusCode()).isEqualTo(302);

    a.close(); // instance A goes away mid-assessment
    HttpResponse<String> onB = browser.get(balancerUrl("/patient"));
    assertThat(onB.body()).as("the statement made on B survives, A is gone").contains("Suitable — 1 item entered by "
        + "the clinician").contains("Amitriptyline 50 mg tried at another clinic");
    HttpResponse<String> signed = browser.postForm(balancerUrl("/patient/sign"), SandboxBrowser.form(
        "_csrf", SandboxBrowser.csrf(onB.body()), "launch", SandboxBrowser.hiddenFields(onB.body()).get("launch")));
    assertThat(signed.statusCode()).isEqualTo(302);
    HttpResponse<String> after = browser.get(balancerUrl("/patient"));
    assertThat(after.body()).contains("Signed and written to the chart").contains("Signed and in the chart");

    var chart = ca.uhn.fhir.context.FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    chart.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(
        sandbox.readToken("prior-therapy-elsewhere")));
    assertThat(chart.search().forResource(org.hl7.fhir.r4.model.CarePlan.class)
        .where(org.hl7.fhir.r4.model.CarePlan.PATIENT.hasId("prior-therapy-elsewhere")).returnBundle(Bundle.class)
        .execute().getEntry()).as("exactly one write").hasSize(1);

    // nothing in the session store reveals the patient or the tokens
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
    try (var connection = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> commands = connection.sync();
      List<byte[]> keys = commands.keys("*".getBytes(StandardCharsets.UTF_8));
      assertThat(keys).isNotEmpty();
      StringBuilder stored = new StringBuilder();
      for (byte[] k : keys) {
        String type = commands.type(k);
        if ("hash".equals(type)) {
          commands.hgetall(k).forEach((field, value) -> stored.append(new String(field, StandardCharsets.ISO_8859_1))
              .append('=').append(new String(value, StandardCharsets.ISO_8859_1)).append('\n'));
        }
      }
      assertThat(stored.toString()).contains("sessionAttr:").doesNotContain("Okafor").doesNotContain("Amitriptyline")
          .doesNotContain("eyJ");
    } finally {
      client.shutdown();
    }
  }

  /**
   * A rolling upgrade stops an instance while a clinician's page is being built (here: its record read, held 1.5 s by
   * the EHR): the page still arrives whole, and only then does the instance go.
   */
  @Test
  @org.junit.jupiter.api.Order(8)
  void anInstanceStoppingFinishesThePageItIsBuilding() throws Exception {
    ConfigurableApplicationContext c = instance(key);
    String cBase = "http://localhost:" + c.getEnvironment().getProperty("local.server.port");
    TARGET.set(cBase);
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch("crps-suitable")));
    String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(), null);
    HttpResponse<String> afterCallback = browser.get(callback);
    sandbox.holdFhirRequests(java.time.Duration.ofMillis(1500));
    try {
      var page = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> browser.get(SandboxBrowser.location(afterCallback)));
      Thread.sleep(500); // the page's record read is in flight
      long stopping = System.nanoTime();
      c.close();
      long stoppedAfter = (System.nanoTime() - stopping) / 1_000_000;
      HttpResponse<String> built = page.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(built.statusCode()).as(built.body()).isEqualTo(200);
      assertThat(built.body()).contains("id=\"verdict\"");
      assertThat(stoppedAfter).as("the instance waited for the page before it stopped").isGreaterThan(500);
    } finally {
      sandbox.holdFhirRequests(java.time.Duration.ZERO);
      if (c.isActive()) {
        c.close();
      }
    }
  }

  /** Without its session store an instance cannot serve a launch: it says so in readiness, and the balancer stops. */
  @Test
  @org.junit.jupiter.api.Order(9)
  void anInstanceWhoseStoreIsGoneIsNotReady() throws Exception {
    redis.destroy();
    redis.waitFor();
    HttpResponse<String> ready = health(bBase + "/actuator/health/readiness");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
    assertThat(ready.body()).contains("DOWN");
    assertThat(health(bBase + "/actuator/health/liveness").statusCode())
        .as("alive all the same: restarting it would not bring the store back").isEqualTo(200);
  }

  /** As a balancer's or Kubernetes' probe asks. */
  private static HttpResponse<String> health(String url) throws IOException, InterruptedException {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String balancerUrl(String path) {
    return balancer.url(path);
  }

  private static void waitForRedis() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", redisPort)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + redisPort);
  }
}
