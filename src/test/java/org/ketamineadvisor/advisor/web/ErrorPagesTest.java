package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

/**
 * The pages a browser gets when something goes wrong, through the real sandbox launch (authorization server, HAPI
 * JPA server) and the real app: two tabs of one browser, an ended session, unknown addresses, wrong methods — each
 * a page in the app's words, never a framework page; and a post from another launch's page writes nothing.
 */
class ErrorPagesTest {

  /** Suitable, signable at once; the first tab. */
  private static final String FIRST = "crps-suitable";
  /** Suitable with precautions, signable at once; launched in the second tab. */
  private static final String SECOND = "sci-precautions";

  private static SandboxEhr sandbox;
  private static String app;
  private static ConfigurableApplicationContext context;

  @BeforeAll
  static void start() {
    int port = SandboxEhr.freePort();
    app = "http://localhost:" + port;
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(app));
    List<String> args = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox));
    args.add("--server.port=" + port);
    context = SpringApplication.run(KetamineAdvisorApplication.class, args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void signingInTheFirstTabAfterALaunchInTheSecondWritesNothingAndSaysWhy() {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    String firstTab = launch(browser, FIRST);
    String secondTab = launch(browser, SECOND);
    assertThat(launchOf(firstTab)).isNotEqualTo(launchOf(secondTab));
    Written before = Written.now();

    // the first tab's Sign button: its form as the page holds it, CSRF token and all
    HttpResponse<String> signed = browser.postForm(app + "/patient/sign",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(firstTab), "launch", launchOf(firstTab)));

    assertThat(signed.statusCode()).isEqualTo(403);
    assertStalePage(signed);
    assertThat(Written.now()).as("nothing written for either patient").isEqualTo(before);

    // the same form re-sent with the session's current token (e.g. resubmitted from the second tab's session):
    // still the first launch's page, so still refused, for the second tab's patient too
    HttpResponse<String> resent = browser.postForm(app + "/patient/sign",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(secondTab), "launch", launchOf(firstTab)));

    assertThat(resent.statusCode()).isEqualTo(409);
    assertStalePage(resent);
    assertThat(Written.now()).isEqualTo(before);
    HttpResponse<String> attested = browser.postForm(app + "/patient/attest", SandboxBrowser.form(
        "_csrf", SandboxBrowser.csrf(secondTab), "launch", launchOf(firstTab), "rule", "IND-PRIOR-THERAPY",
        "outcome", "met", "reason", "said in the first tab"));
    assertThat(attested.statusCode()).isEqualTo(409);
    assertThat(browser.get(app + "/patient").body()).doesNotContain("said in the first tab");

    // the second tab, the session's current launch, signs as before: the check refuses only the out-of-date page
    HttpResponse<String> current = browser.postForm(app + "/patient/sign",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(secondTab), "launch", launchOf(secondTab)));
    assertThat(current.statusCode()).isEqualTo(302);
    Written after = Written.now();
    assertThat(after.riskAssessments(SECOND)).isEqualTo(before.riskAssessments(SECOND) + 1);
    assertThat(after.riskAssessments(FIRST)).isEqualTo(before.riskAssessments(FIRST));
    assertThat(after.carePlans(FIRST)).isEqualTo(before.carePlans(FIRST));
  }

  @Test
  void aFormSentAfterTheSessionExpiredGetsTheAppsPageAndWritesNothing() {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    String page = launch(browser, FIRST);
    Written before = Written.now();
    expire(browser.cookie(app, "JSESSIONID"));

    HttpResponse<String> signed = browser.postForm(app + "/patient/sign",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(page), "launch", launchOf(page)));

    assertThat(signed.statusCode()).isEqualTo(403);
    assertStalePage(signed);
    assertThat(Written.now()).isEqualTo(before);
    HttpResponse<String> reopened = browser.get(app + "/patient");
    assertThat(reopened.statusCode()).isEqualTo(401);
    assertThat(reopened.body()).contains("Your session has ended").contains("Nothing was written")
        .contains("Launch it again");
    assertNoFrameworkPage(reopened);
  }

  @Test
  void anUnknownAddressAndAWrongMethodGetTheAppsPagesWithTheLaunchsReference() {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    String page = launch(browser, FIRST);

    HttpResponse<String> missing = browser.get(app + "/patient/no-such-page");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("Page not found").contains("The app has no page at this address")
        .contains("Nothing was written").contains("Reference for your support team: HTTP 404, launch "
            + launchOf(page));
    assertNoFrameworkPage(missing);

    // the Sign button's address opened as a link
    HttpResponse<String> wrongMethod = browser.get(app + "/patient/sign");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).contains("cannot be opened as a link").contains("Nothing was written");
    assertNoFrameworkPage(wrongMethod);

    // a form without what it needs
    HttpResponse<String> bad = browser.postForm(app + "/patient/attest",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(page), "launch", launchOf(page)));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("The request could not be read").contains("Nothing was written");
    assertNoFrameworkPage(bad);

    // the clinician page still works in that session
    assertThat(browser.get(app + "/patient").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutASessionAnUnknownAddressAsksForALaunchInTheAppsWords() {
    HttpResponse<String> page = new SandboxBrowser().get(app + "/no-such-page");

    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).contains("Launch it again from the patient");
    assertNoFrameworkPage(page);
  }

  @Test
  void aClientThatAsksForJsonKeepsAJsonErrorWithoutInternals() {
    SandboxBrowser browser = new SandboxBrowser();
    browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
    launch(browser, FIRST);

    HttpResponse<String> missing = browser.get(app + "/patient/no-such-page", (String) null);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
        .contains("json"));
    assertThat(missing.body()).startsWith("{").contains("\"status\":404").doesNotContain("trace")
        .doesNotContain("Exception").doesNotContain("<html");
  }

  @Test
  void everyErrorStatusHasWordsAndOnlyAClientErrorClaimsNothingWasWritten() {
    for (HttpStatus status : HttpStatus.values()) {
      if (!status.isError()) {
        continue;
      }
      ErrorPages.ErrorWords words = ErrorPages.words(status);
      assertThat(words.title()).as(status.toString()).isNotBlank().doesNotContain("Error Page");
      assertThat(words.sentences()).as(status.toString()).isNotEmpty();
      // after a server-side fault the app cannot know whether a write happened: it says to look in the chart
      if (status.is5xxServerError()) {
        assertThat(words.sentences()).as(status.toString()).doesNotContain(ErrorPages.NOTHING_WRITTEN)
            .anySatisfy(s -> assertThat(s).containsAnyOf("look in the patient's chart", "Try again"));
      } else {
        assertThat(words.sentences()).as(status.toString()).contains(ErrorPages.NOTHING_WRITTEN);
      }
    }
  }

  // --- helpers ---

  private static void assertStalePage(HttpResponse<String> response) {
    assertThat(response.body()).contains("This page is out of date: the app was launched again in another tab or "
        + "window, or your session ended.").contains("Nothing was written.")
        .contains("Launch the app again from the patient&#39;s chart.");
    assertNoFrameworkPage(response);
  }

  private static void assertNoFrameworkPage(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
        .startsWith("text/html"));
    assertThat(response.body()).contains("/css/app.css").doesNotContain("Whitelabel").doesNotContain("Exception")
        .doesNotContain("\tat ").doesNotContain("There was an unexpected error").doesNotContain("Maria Elena Costa");
  }

  /** An EHR launch of {@code patient} in {@code browser} (signed in at the EHR); the clinician page it lands on. */
  private static String launch(SandboxBrowser browser, String patient) {
    HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createLaunch(patient)));
    assertThat(launch.statusCode()).as(launch.body()).isEqualTo(302);
    String callback = browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(), null);
    assertThat(browser.get(callback).statusCode()).isEqualTo(302);
    HttpResponse<String> page = browser.get(app + "/patient");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"sign-button\"");
    return page.body();
  }

  private static String launchOf(String page) {
    String launch = SandboxBrowser.hiddenFields(page).get("launch");
    assertThat(launch).as("the page's forms carry their launch").isNotBlank();
    return launch;
  }

  /** Ends the app's HTTP session as its timeout would. */
  private static void expire(String sessionId) {
    Context web = (Context) ((TomcatWebServer) ((ServletWebServerApplicationContext) context).getWebServer())
        .getTomcat().getHost().findChildren()[0];
    try {
      Session session = web.getManager().findSession(sessionId);
      assertThat(session).as("the browser's session on the app").isNotNull();
      session.expire();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RiskAssessments and CarePlans per test patient, as the EHR's staff would count them in the chart. */
  record Written(Map<String, Integer> counts) {
    static Written now() {
      return new Written(Map.of(
          "RiskAssessment/" + FIRST, count(RiskAssessment.class, RiskAssessment.PATIENT.hasId(FIRST), FIRST),
          "RiskAssessment/" + SECOND, count(RiskAssessment.class, RiskAssessment.PATIENT.hasId(SECOND), SECOND),
          "CarePlan/" + FIRST, count(CarePlan.class, CarePlan.PATIENT.hasId(FIRST), FIRST),
          "CarePlan/" + SECOND, count(CarePlan.class, CarePlan.PATIENT.hasId(SECOND), SECOND)));
    }

    int riskAssessments(String patient) {
      return counts.get("RiskAssessment/" + patient);
    }

    int carePlans(String patient) {
      return counts.get("CarePlan/" + patient);
    }

    private static int count(Class<? extends org.hl7.fhir.instance.model.api.IBaseResource> type,
        ca.uhn.fhir.rest.gclient.ICriterion<?> patient, String patientId) {
      IGenericClient chart = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
      chart.registerInterceptor(new BearerTokenAuthInterceptor(sandbox.readToken(patientId)));
      return chart.search().forResource(type).where(patient).returnBundle(Bundle.class).execute().getEntry().size();
    }
  }
}
