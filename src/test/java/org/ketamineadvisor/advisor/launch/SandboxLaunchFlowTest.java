package org.ketamineadvisor.advisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.MovableClock;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SMART launches of the real app against the real sandbox EHR (Spring Authorization Server, bearer-protected HAPI
 * JPA server, EHR simulator), driven over HTTP as a browser would: sign-in, launch, consent, callback, patient page,
 * and every refusal.
 *
 * <p>One sandbox for the class. The sandbox registers one redirect URI ({@code {appBase}/launch/callback}) for all
 * its clients, and the app allows one registration per issuer, so each client kind gets an app of its own, one at a
 * time, on the same port chosen before the sandbox starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class SandboxLaunchFlowTest {

  static final int APP_PORT = SandboxEhr.freePort();
  static final String APP = "http://localhost:" + APP_PORT;
  static final String PATIENT = "crps-suitable";
  static final String PATIENT_NAME = "Maria Elena Costa";
  /** The FHIR server's clock for tokens (issuing and checking); tests move it forward to expire tokens. */
  static final MovableClock SANDBOX_CLOCK = new MovableClock();

  static SandboxEhr sandbox;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(APP).withClock(SANDBOX_CLOCK));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @AfterEach
  void resetClocks() {
    SANDBOX_CLOCK.reset();
  }

  /** The public client (PKCE only), plus an allow-listed issuer whose discovery leads to the sandbox under another base. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PublicClient {

    final MovableClock appClock = new MovableClock();
    RunningApp app;

    @BeforeAll
    void startApp() {
      Map<String, Object> properties = registration(0, "sandbox", sandbox.fhirBaseUrl(), SandboxEhr.PUBLIC_CLIENT, "none");
      // the same sandbox reached as 127.0.0.1: the app sends that base as aud, which the sandbox is not
      properties.putAll(registration(1, "elsewhere", sandbox.fhirBaseUrl().replace("localhost", "127.0.0.1"),
          SandboxEhr.PUBLIC_CLIENT, "none"));
      properties.put("management.server.port", 0);
      app = RunningApp.start(properties, appClock);
    }

    @AfterAll
    void stopApp() {
      app.close();
    }

    @Test
    void anEhrLaunchFromTheSimulatorLandsOnThePatientPageWithoutTokensInIt(CapturedOutput logs) {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
      HttpResponse<String> launchedInEhr = browser.postForm(sandbox.issuer() + "/ehr/launch",
          form("patient", PATIENT, "_csrf", SandboxBrowser.csrf(ehr.body())));
      String launchUrl = iframeSource(launchedInEhr.body());
      assertThat(launchUrl).startsWith(APP + "/launch?iss=");

      HttpResponse<String> launch = browser.get(launchUrl);

      assertThat(launch.statusCode()).isEqualTo(302);
      Map<String, String> authorize = SandboxBrowser.query(SandboxBrowser.location(launch));
      assertThat(SandboxBrowser.location(launch)).startsWith(sandbox.issuer() + "/oauth2/authorize?");
      assertThat(authorize).containsEntry("client_id", SandboxEhr.PUBLIC_CLIENT)
          .containsEntry("aud", sandbox.fhirBaseUrl())
          .containsEntry("launch", SandboxBrowser.query(launchUrl).get("launch"))
          .containsEntry("redirect_uri", APP + "/launch/callback")
          .containsEntry("code_challenge_method", "S256")
          .containsKeys("state", "nonce", "code_challenge");
      assertThat(authorize.get("scope").split(" ")).containsExactlyInAnyOrderElementsOf(EhrRegistration.DEFAULT_SCOPES);
      assertThat(launch.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
          .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Lax"));
      String sessionBefore = browser.cookie(APP, "JSESSIONID");

      String callback = consent(browser, browser.get(SandboxBrowser.location(launch)), Set.of(), null);
      HttpResponse<String> landed = browser.get(callback);

      assertThat(landed.statusCode()).as(landed.body()).isEqualTo(302);
      assertThat(SandboxBrowser.location(landed)).isEqualTo(APP + "/patient");
      assertThat(browser.cookie(APP, "JSESSIONID")).as("session fixation protection").isNotEqualTo(sessionBefore);
      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(200);
      // the clinician page, read with the launch's token: a verdict, and no read-only warning
      assertThat(patient.body()).contains("id=\"verdict\"")
          .doesNotContain("Read-only")
          // the EHR shows its own banner around its frame (need_patient_banner false): the app's is marked to be
          // hidden by js/frame.js when framed, and shows when the page is opened on its own (a CDS card's link)
          .as("the app's banner, marked as shown by the EHR").contains("class=\"banner ehr-shows-banner\"")
          .contains(PATIENT_NAME).contains("born 1978-").contains("KA-CRPS-SUITABLE")
          .contains("src=\"/js/frame.js\"")
          // the page names its source records (their ids), but never a token
          .doesNotContain("eyJ");
      assertThat(patient.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
          .contains("frame-ancestors"));
      assertThat(logs.getAll()).doesNotContain("eyJ").contains("[launch=");
    }

    @Test
    void withTheDefaultScopesTheChartIsCheckedForPlansWrittenBefore() {
      SandboxBrowser browser = new SandboxBrowser();
      browser.get(launchToCallback(browser, Set.of()));
      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(patient.body()).contains("id=\"verdict\"")
          .doesNotContain("did not grant permission to search care plans")
          .doesNotContain("Could not check for a plan written earlier");
    }

    @Test
    void aStandaloneLaunchPicksThePatientAtTheEhrAndShowsTheBanner() {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(null));
      Map<String, String> authorize = SandboxBrowser.query(SandboxBrowser.location(launch));
      assertThat(authorize).doesNotContainKey("launch");
      assertThat(authorize.get("scope").split(" ")).contains("launch/patient").doesNotContain("launch");

      String callback = consent(browser, browser.get(SandboxBrowser.location(launch)), Set.of(), PATIENT);

      assertThat(browser.get(callback).statusCode()).isEqualTo(302);
      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(200);
      // a standalone launch asks for the banner (need_patient_banner true): shown whatever the frame
      assertThat(patient.body()).contains("class=\"banner\"").doesNotContain("ehr-shows-banner")
          .contains(PATIENT_NAME).contains("born 1978-").contains("KA-CRPS-SUITABLE").doesNotContain("eyJ");
      HttpResponse<String> script = browser.get(APP + "/js/frame.js");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.body()).contains("window.self !== window.top");
    }

    @Test
    void scopesUntickedOnConsentMakeTheAppReadOnlyAndItSaysSo() {
      SandboxBrowser browser = new SandboxBrowser();

      String callback = launchToCallback(browser, Set.of("patient/CarePlan.crus"));
      browser.get(callback);

      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(patient.body()).contains("Read-only: the EHR did not grant permission to write CarePlans")
          .contains("id=\"verdict\"");
    }

    @Test
    void anExpiredTokenWithoutRefreshTokenAsksForARelaunch() {
      SandboxBrowser browser = new SandboxBrowser();
      // standalone launch; the page checks the token on every render
      browser.get(consent(browser, browser.get(SandboxBrowser.location(browser.get(sandbox.appLaunchUrl(null)))),
          Set.of(), PATIENT));
      assertThat(browser.get(APP + "/patient").body()).contains(PATIENT_NAME);

      appClock.advance(Duration.ofMinutes(5).plusSeconds(1));
      try {
        HttpResponse<String> patient = browser.get(APP + "/patient");

        assertThat(patient.statusCode()).isEqualTo(401);
        assertThat(patient.body()).contains("Launch it again").doesNotContain(PATIENT_NAME);
      } finally {
        appClock.reset();
      }
    }

    @Test
    void aCallbackWithATamperedStateIsRefused() {
      SandboxBrowser browser = new SandboxBrowser();
      String callback = launchToCallback(browser, Set.of());
      assertThat(SandboxBrowser.query(callback)).containsKeys("code", "state");

      HttpResponse<String> refused = browser.get(callback.replaceFirst("state=[^&]*", "state=forged"));

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("state mismatch").doesNotContain("Exception");
      assertThat(browser.get(APP + "/patient").statusCode()).isEqualTo(401);
    }

    @Test
    void aCallbackCalledTwiceIsRefusedTheSecondTime() {
      SandboxBrowser browser = new SandboxBrowser();
      String callback = launchToCallback(browser, Set.of());
      assertThat(browser.get(callback).statusCode()).isEqualTo(302);

      HttpResponse<String> again = browser.get(callback);

      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).contains("Launch the app again");
    }

    @Test
    void aCodeRedeemedUnderAnotherLaunchIsRefusedByTheEhrForItsPkceVerifier() {
      SandboxBrowser browser = new SandboxBrowser();
      String first = launchToCallback(browser, Set.of());
      // a second launch in the same browser: the app now holds the second launch's state and PKCE verifier
      HttpResponse<String> second = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(PATIENT)));
      String secondState = SandboxBrowser.query(SandboxBrowser.location(second)).get("state");

      HttpResponse<String> refused = browser.get(APP + "/launch/callback?code="
          + URLEncoder.encode(SandboxBrowser.query(first).get("code"), StandardCharsets.UTF_8)
          + "&state=" + URLEncoder.encode(secondState, StandardCharsets.UTF_8));

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("The EHR refused to exchange the sign-in code").doesNotContain("Exception");
    }

    @Test
    void anAuthorizeRequestStrippedOfPkceIsRefusedByTheEhrAndExplainedByTheApp() {
      SandboxBrowser browser = new SandboxBrowser();
      signIn(browser, browser.get(sandbox.ehrUrl()));
      String authorize = SandboxBrowser.location(browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(PATIENT))));
      String stripped = authorize.replaceAll("&code_challenge(_method)?=[^&]*", "");
      assertThat(stripped).doesNotContain("code_challenge");

      HttpResponse<String> answer = browser.followWithin(sandbox.issuer(), browser.get(stripped));
      String callback = SandboxBrowser.location(answer);
      assertThat(callback).startsWith(APP + "/launch/callback?");
      assertThat(SandboxBrowser.query(callback)).containsEntry("error", "invalid_request").doesNotContainKey("code");
      HttpResponse<String> page = browser.get(callback);

      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.body()).contains("The EHR refused the app&#39;s sign-in request").doesNotContain("Exception");
    }

    @Test
    void anIssuerNotOnTheAllowListGetsAnErrorPageAndNoRedirect() {
      String foreign = sandbox.issuer() + "/other-fhir";

      HttpResponse<String> refused = new SandboxBrowser().get(APP + "/launch?iss=" + foreign + "&launch=x");

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Location")).isEmpty();
      assertThat(refused.body()).contains("does not accept launches from " + foreign);
    }

    @Test
    void anAudienceTheEhrDoesNotServeIsRefusedByTheEhrAndExplainedByTheApp() {
      SandboxBrowser browser = new SandboxBrowser();
      signIn(browser, browser.get(sandbox.ehrUrl()));
      String otherBase = sandbox.fhirBaseUrl().replace("localhost", "127.0.0.1");
      HttpResponse<String> launch = browser.get(APP + "/launch?iss=" + otherBase + "&launch="
          + sandbox.createLaunch(PATIENT));
      assertThat(SandboxBrowser.query(SandboxBrowser.location(launch))).containsEntry("aud", otherBase);

      String callback = SandboxBrowser.location(
          browser.followWithin(sandbox.issuer(), browser.get(SandboxBrowser.location(launch))));
      assertThat(SandboxBrowser.query(callback)).containsEntry("error", "invalid_request");
      HttpResponse<String> page = browser.get(callback);

      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.body()).contains("The EHR refused the app&#39;s sign-in request");
    }

    @Test
    void denyingAccessAtTheEhrIsExplained() {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> consentPage = signIn(browser,
          browser.get(SandboxBrowser.location(browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(PATIENT))))));
      assertThat(consentPage.uri().getPath()).isEqualTo("/consent");
      Map<String, List<String>> deny = new LinkedHashMap<>();
      SandboxBrowser.hiddenFields(consentPage.body()).forEach((name, value) -> deny.put(name, List.of(value)));

      String callback = SandboxBrowser.location(browser.followWithin(sandbox.issuer(),
          browser.postForm(sandbox.issuer() + "/oauth2/authorize", deny)));
      HttpResponse<String> page = browser.get(callback);

      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.body()).contains("Access was not granted");
    }

    @Test
    void aPostWithoutCsrfTokenIsForbiddenAndWithItAccepted() {
      SandboxBrowser browser = new SandboxBrowser();
      browser.get(launchToCallback(browser, Set.of()));
      String page = browser.get(APP + "/patient").body();

      assertThat(browser.postForm(APP + "/logout", Map.of()).statusCode()).isEqualTo(403);
      assertThat(browser.get(APP + "/patient").statusCode()).as("still signed in").isEqualTo(200);

      assertThat(browser.postForm(APP + "/logout", form("_csrf", SandboxBrowser.csrf(page))).statusCode())
          .isEqualTo(302);
      assertThat(browser.get(APP + "/patient").statusCode()).isEqualTo(401);
    }

    @Test
    void metricsAndHealthAreOnTheManagementPortWithoutASessionButMetricsNotOnTheAppPort() {
      SandboxBrowser monitoring = new SandboxBrowser();
      String management = "http://localhost:" + app.managementPort();

      HttpResponse<String> metrics = monitoring.get(management + "/actuator/metrics/jvm.memory.used", (String) null);
      assertThat(metrics.statusCode()).as(management + " " + metrics.body()).isEqualTo(200);
      assertThat(metrics.body()).contains("jvm.memory.used");
      assertThat(monitoring.get(management + "/actuator/health/readiness", (String) null).statusCode()).isEqualTo(200);
      assertThat(monitoring.get(APP + "/actuator/metrics", (String) null).statusCode())
          .as("not on the app's port, which faces the internet").isIn(401, 404);
    }
  }

  /** {@code client_secret_basic}: the sandbox's confidential client, with refresh tokens. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ConfidentialClient {

    final MovableClock appClock = new MovableClock();
    RunningApp app;

    @BeforeAll
    void startApp() {
      Map<String, Object> properties = registration(0, "sandbox", sandbox.fhirBaseUrl(),
          SandboxEhr.CONFIDENTIAL_CLIENT, "client_secret_basic");
      properties.put("advisor.ehrs[0].client-secret", SandboxOptions.DEFAULT_CONFIDENTIAL_SECRET);
      app = RunningApp.start(properties, appClock);
    }

    @AfterAll
    void stopApp() {
      app.close();
    }

    @Test
    void anEhrLaunchCompletes() {
      SandboxBrowser browser = new SandboxBrowser();

      assertThat(browser.get(launchToCallback(browser, Set.of())).statusCode()).isEqualTo(302);

      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(patient.body()).contains("id=\"verdict\"").doesNotContain("Read-only");
    }

    @Test
    void anExpiredAccessTokenIsRefreshedAndThePageStillReadsThePatient() {
      SandboxBrowser browser = new SandboxBrowser();
      browser.get(consent(browser, browser.get(SandboxBrowser.location(browser.get(sandbox.appLaunchUrl(null)))),
          Set.of(), PATIENT));
      assertThat(browser.get(APP + "/patient").body()).contains(PATIENT_NAME);

      // the EHR no longer accepts the first token; the app sees it within its refresh margin and refreshes
      SANDBOX_CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));
      appClock.advance(Duration.ofMinutes(4).plusSeconds(30));
      try {
        HttpResponse<String> patient = browser.get(APP + "/patient");

        assertThat(patient.statusCode()).isEqualTo(200);
        assertThat(patient.body()).contains(PATIENT_NAME).doesNotContain("could not be read");
      } finally {
        appClock.reset();
      }
    }
  }

  /** {@code private_key_jwt}: the sandbox verifies the app's RS384 assertion with the keys the app publishes. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PrivateKeyJwtClient {

    Path keys;
    RunningApp app;

    @BeforeAll
    void startApp() throws Exception {
      RSAKey key = new RSAKeyGenerator(2048).keyID("test-app-key").generate();
      keys = Files.createTempFile("advisor-client-keys", ".json");
      Files.writeString(keys, new JWKSet(key).toString(false));
      Map<String, Object> properties = registration(0, "sandbox", sandbox.fhirBaseUrl(),
          SandboxEhr.JWT_CLIENT, "private_key_jwt");
      properties.put("advisor.ehrs[0].jwk-set-location", keys.toUri().toString());
      app = RunningApp.start(properties, new MovableClock());
    }

    @AfterAll
    void stopApp() throws IOException {
      app.close();
      Files.deleteIfExists(keys);
    }

    @Test
    void anEhrLaunchCompletesAndTheJwksHoldsOnlyThePublicKey() {
      SandboxBrowser browser = new SandboxBrowser();

      HttpResponse<String> landed = browser.get(launchToCallback(browser, Set.of()));

      assertThat(landed.statusCode()).as(landed.body()).isEqualTo(302);
      assertThat(browser.get(APP + "/patient").statusCode()).isEqualTo(200);
      String jwks = browser.get(APP + "/.well-known/jwks.json", (String) null).body();
      assertThat(jwks).contains("test-app-key").doesNotContain("\"d\"");
    }
  }

  /**
   * The clinic's list (#21): a launch without a patient in context — the EHR's schedule (provider-level launch) or
   * the standalone {@code /launch?iss=…&clinic} — with the registration's {@code user/} scopes lands on /clinic.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ClinicLaunch {

    RunningApp app;

    @BeforeAll
    void startApp() {
      Map<String, Object> properties = registration(0, "sandbox", sandbox.fhirBaseUrl(), SandboxEhr.PUBLIC_CLIENT,
          "none");
      List<String> scopes = new java.util.ArrayList<>(EhrRegistration.DEFAULT_SCOPES);
      scopes.addAll(EhrRegistration.CLINIC_SCOPES);
      properties.put("advisor.ehrs[0].scopes", String.join(",", scopes));
      // the showcase courses are seeded for this day (their sessions, this morning's readings)
      properties.put("advisor.pages.as-of", org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication.SEED_AS_OF);
      app = RunningApp.start(properties, new MovableClock());
    }

    @AfterAll
    void stopApp() {
      app.close();
    }

    @Test
    void aProviderLevelLaunchFromTheScheduleLandsOnTheClinicListWithEveryActiveCourse(CapturedOutput logs) {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
      assertThat(ehr.body()).contains("Open the clinic's list");
      HttpResponse<String> schedule = browser.postForm(sandbox.issuer() + "/ehr/launch",
          form("clinic", "schedule", "_csrf", SandboxBrowser.csrf(ehr.body())));
      String launchUrl = iframeSource(schedule.body());
      HttpResponse<String> launch = browser.get(launchUrl);
      Map<String, String> authorize = SandboxBrowser.query(SandboxBrowser.location(launch));
      assertThat(authorize).containsKey("launch");
      // SMART allows patient/ and user/ scopes in one request
      assertThat(authorize.get("scope").split(" ")).contains("launch", "user/CarePlan.rs", "patient/CarePlan.crus");

      HttpResponse<String> landed = browser.get(consent(browser, browser.get(SandboxBrowser.location(launch)), Set.of(),
          null));

      assertThat(SandboxBrowser.location(landed)).isEqualTo(APP + "/clinic");
      HttpResponse<String> clinic = browser.get(APP + "/clinic");
      assertThat(clinic.statusCode()).as(clinic.body()).isEqualTo(200);
      assertThat(clinic.body()).contains("id=\"today\"").contains("data-patient=\"course-go\"")
          .contains("data-patient=\"course-hold\"").contains("data-patient=\"course-responder\"")
          .contains("data-patient=\"course-non-responder\"").contains("HOLD").contains("GO")
          .doesNotContain("could not be read").doesNotContain("What the list could not read").doesNotContain("eyJ");
      // no patient yet: the patient page sends the session to the list
      HttpResponse<String> patient = browser.get(APP + "/patient");
      assertThat(patient.statusCode()).isEqualTo(302);
      assertThat(SandboxBrowser.location(patient)).isEqualTo(APP + "/clinic");
      assertThat(logs.getAll()).doesNotContain("course-go").doesNotContain("eyJ");
    }

    @Test
    void openingARowShowsThatPatientsPageAsALaunchOfItsOwnWithTheWayBack() {
      SandboxBrowser browser = new SandboxBrowser();
      browser.get(launchForClinic(browser, Set.of()));
      HttpResponse<String> clinic = browser.get(APP + "/clinic");
      String csrf = SandboxBrowser.csrf(clinic.body());

      HttpResponse<String> opened = browser.postForm(APP + "/clinic/open", form("patient", "course-hold", "_csrf", csrf));

      assertThat(opened.statusCode()).isEqualTo(302);
      assertThat(SandboxBrowser.location(opened)).isEqualTo(APP + "/patient");
      HttpResponse<String> page = browser.get(APP + "/patient");
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      // the EHR shows no banner for a patient it did not put in context: the app shows its own
      assertThat(page.body()).contains("id=\"back-to-clinic\"").contains("Alvarez")
          .contains("class=\"banner\"").doesNotContain("ehr-shows-banner").contains("HOLD")
          // read with the clinic's user/ read scopes: the whole course, and read-only (nothing can be signed)
          .doesNotContain("Not everything of the course could be read").contains("Read-only");
      String firstLaunch = launchField(page.body());

      // another row: a new launch of its own; a form of the first patient's page is refused, nothing is done
      browser.postForm(APP + "/clinic/open", form("patient", "course-go", "_csrf", SandboxBrowser.csrf(page.body())));
      HttpResponse<String> second = browser.get(APP + "/patient");
      assertThat(launchField(second.body())).isNotEqualTo(firstLaunch);
      HttpResponse<String> stale = browser.postForm(APP + "/patient/revise/cancel", form("launch", firstLaunch, "_csrf",
          SandboxBrowser.csrf(second.body())));
      assertThat(stale.statusCode()).isEqualTo(409);
    }

    @Test
    void withoutUserCarePlanTheListSaysItCannotBeBuiltInsteadOfLookingEmpty() {
      SandboxBrowser browser = new SandboxBrowser();
      browser.get(launchForClinic(browser, Set.of("user/CarePlan.rs")));

      HttpResponse<String> clinic = browser.get(APP + "/clinic");

      assertThat(clinic.statusCode()).isEqualTo(403);
      assertThat(clinic.body()).contains("The EHR did not grant user/CarePlan.rs: the clinic&#39;s list cannot be built")
          .doesNotContain("No active courses.").doesNotContain("data-patient=");
    }

    @Test
    void aStandaloneClinicLaunchAsksForNoPatientAndLandsOnTheList() {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(null) + "&clinic");
      Map<String, String> authorize = SandboxBrowser.query(SandboxBrowser.location(launch));
      assertThat(authorize).doesNotContainKey("launch");
      assertThat(authorize.get("scope").split(" ")).doesNotContain("launch/patient", "launch")
          .contains("user/CarePlan.rs", "openid", "fhirUser");

      HttpResponse<String> landed = browser.get(consent(browser, browser.get(SandboxBrowser.location(launch)), Set.of(),
          null));

      assertThat(SandboxBrowser.location(landed)).isEqualTo(APP + "/clinic");
      assertThat(browser.get(APP + "/clinic").body()).contains("data-patient=\"course-go\"");
    }

    /** A provider-level launch (no patient) up to the EHR's redirect back to the app; returns that callback URL. */
    String launchForClinic(SandboxBrowser browser, Set<String> untick) {
      HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createClinicLaunch()));
      assertThat(launch.statusCode()).as(launch.body()).isEqualTo(302);
      return consent(browser, browser.get(SandboxBrowser.location(launch)), untick, null);
    }

    String launchField(String html) {
      Matcher matcher = Pattern.compile("name=\"launch\" value=\"([^\"]*)\"").matcher(html);
      assertThat(matcher.find()).as("a form carrying its launch").isTrue();
      return matcher.group(1);
    }
  }

  // --- the browser's steps ---

  /** An EHR launch for {@link #PATIENT} up to the EHR's redirect back to the app; returns that callback URL. */
  static String launchToCallback(SandboxBrowser browser, Set<String> untick) {
    HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(PATIENT)));
    assertThat(launch.statusCode()).as(launch.body()).isEqualTo(302);
    return consent(browser, browser.get(SandboxBrowser.location(launch)), untick, null);
  }

  /** Signs in when {@code response} leads to the sign-in page, following redirects within the sandbox. */
  static HttpResponse<String> signIn(SandboxBrowser browser, HttpResponse<String> response) {
    return browser.signInAsDemoUser(sandbox.issuer(), response);
  }

  /** From the authorize request: sign in, pick a patient if asked, consent (unticking some scopes); returns the callback URL. */
  static String consent(SandboxBrowser browser, HttpResponse<String> authorize, Set<String> untick, String patientToPick) {
    String callback = browser.consent(sandbox.issuer(), authorize, untick, patientToPick);
    assertThat(callback).startsWith(APP + "/launch/callback?");
    return callback;
  }

  static Map<String, List<String>> form(String... namesAndValues) {
    return SandboxBrowser.form(namesAndValues);
  }

  static String iframeSource(String html) {
    Matcher matcher = Pattern.compile("<iframe [^>]*src=\"([^\"]+)\"").matcher(html);
    assertThat(matcher.find()).as("an iframe in " + html).isTrue();
    return matcher.group(1).replace("&amp;", "&");
  }

  // --- the app ---

  /** One allow-listed EHR as {@code advisor.ehrs[index].*} properties. */
  static Map<String, Object> registration(int index, String id, String issuer, String clientId, String authentication) {
    Map<String, Object> properties = new LinkedHashMap<>();
    String prefix = "advisor.ehrs[" + index + "].";
    properties.put(prefix + "registration-id", id);
    properties.put(prefix + "issuer", issuer);
    properties.put(prefix + "client-id", clientId);
    properties.put(prefix + "client-authentication", authentication);
    return properties;
  }

  /**
   * The app as {@code spring-boot:test-run} starts it, on {@link #APP_PORT}, with a clock for its tokens the test can
   * move (the clinic's day follows the sandbox EHR's clock).
   */
  record RunningApp(ConfigurableApplicationContext context) implements AutoCloseable {

    static RunningApp start(Map<String, Object> registrations, Clock clock) {
      Map<String, Object> properties = new LinkedHashMap<>(registrations);
      properties.put("server.port", APP_PORT);
      // plain http on localhost, as in the sandbox; the EHR shows the app in an iframe from its own origin
      properties.put("advisor.security.secure-cookies", false);
      properties.put("advisor.security.frame-ancestors", "'self' " + sandbox.issuer());
      // the clinic's day on the EHR's clock, as in spring-boot:test-run; tokens stay on the app's own clock
      properties.put(org.ketamineadvisor.advisor.sandbox.SandboxClinicClock.PROPERTY, sandbox.issuer());
      properties.put("spring.autoconfigure.exclude",
          "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration,"
              + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");
      // as command-line arguments: default properties would lose to application.yml (server.port: ${PORT:8080})
      String[] arguments = properties.entrySet().stream()
          .map(property -> "--" + property.getKey() + "=" + property.getValue()).toArray(String[]::new);
      return new RunningApp(new SpringApplicationBuilder(KetamineAdvisorApplication.class)
          .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock))
          .run(arguments));
    }

    int managementPort() {
      return context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    }

    @Override
    public void close() {
      context.close();
    }
  }



}
