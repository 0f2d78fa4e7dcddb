package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * EHR launches through the public SMART launcher (smart-launcher-v2), the reference EHR many SMART apps are first
 * certified against, in front of a HAPI JPA server holding the showcase patients. Not part of the default build:
 * {@code scripts/peer-ehr-check.sh} builds and starts the launcher, then runs this with the {@code peer-ehr}
 * profile ({@code -Dpeer.launcher=http://127.0.0.1:8095 -Dpeer.fhir.port=8096}).
 */
class PeerEhrLaunchCheck {

  private static final Pattern VERDICT = Pattern.compile("<h2 id=\"verdict-heading\">([^<]+)</h2>");
  private static EmbeddedFhirServer fhir;
  private static ConfigurableApplicationContext app;
  private static String appBase;
  private static String launcher;
  private static String issuer;

  @BeforeAll
  static void start() {
    launcher = System.getProperty("peer.launcher", "http://127.0.0.1:8095");
    issuer = launcher + "/v/r4/fhir";
    fhir = EmbeddedFhirServer.start(Integer.getInteger("peer.fhir.port", 8096));
    fhir.load(Path.of("launch/sandbox"));
    fhir.load(SandboxEhr.practitioners());
    int port = SandboxEhr.freePort();
    appBase = "http://127.0.0.1:" + port;
    app = SpringApplication.run(KetamineAdvisorApplication.class,
        "--server.port=" + port,
        "--advisor.ehrs[0].issuer=" + issuer,
        "--advisor.ehrs[0].registration-id=smart-launcher",
        "--advisor.ehrs[0].name=SMART launcher",
        "--advisor.ehrs[0].client-id=ketamine-advisor",
        "--advisor.ehrs[0].client-authentication=none",
        "--advisor.security.secure-cookies=false",
        "--advisor.pages.as-of=" + TestKetamineAdvisorApplication.SEED_AS_OF,
        "--spring.autoconfigure.exclude="
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (fhir != null) {
      fhir.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"crps-suitable", "sci-precautions", "psychosis-contraindicated", "pregnant-contraindicated",
      "pregnancy-superseded", "cirrhosis-contraindicated", "needs-information", "not-indicated", "ketamine-allergy",
      "opioid-benzo", "prior-therapy-elsewhere", "bp-missing", "signed-plan", "deceased", "minor"})
  void anEhrLaunchReachesTheVerdict(String patient) {
    HttpResponse<String> page = launch(new SandboxBrowser(), patient);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher verdict = VERDICT.matcher(page.body());
    assertThat(verdict.find()).as("a verdict on the page for " + patient).isTrue();
    System.out.println("PEER " + patient + ": " + verdict.group(1));
  }

  @Test
  void aSuitablePatientIsSignedThroughTheLauncher() {
    SandboxBrowser browser = new SandboxBrowser();
    HttpResponse<String> page = launch(browser, "crps-suitable");
    assertThat(page.body()).contains("id=\"sign-button\"");
    HttpResponse<String> signed = browser.postForm(appBase + "/patient/sign",
        SandboxBrowser.form("_csrf", SandboxBrowser.csrf(page.body())));
    HttpResponse<String> after = browser.get(appBase + "/patient");
    System.out.println("PEER sign: HTTP " + signed.statusCode() + " -> " + (after.body().contains("Written to the chart")
        ? "written" : "not written"));
    assertThat(after.body()).contains("Written to the chart").contains("Signed and in the chart");
  }

  /** An EHR launch as the launcher's own /launcher would build it, with its login and consent skipped. */
  private HttpResponse<String> launch(SandboxBrowser browser, String patient) {
    // the launcher's launch code: base64url of [type, patient, provider, encounter, skip_login, skip_auth, sim_ehr, …]
    // encounter NONE: the showcase patients have no Encounter, and the launcher's AUTO fails without one
    String options = "[0,\"" + patient + "\",\"dr-ada\",\"NONE\",1,1,0,\"\",\"\",\"\",\"\",\"\",\"\",\"\",0,1,\"\"]";
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(options.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = browser.get(appBase + "/launch?iss=" + issuer + "&launch=" + code);
    List<String> hops = new ArrayList<>();
    for (int i = 0; i < 12 && response.statusCode() / 100 == 3; i++) {
      String next = SandboxBrowser.location(response);
      next = next.startsWith("/") ? java.net.URI.create(response.uri().toString()).resolve(next).toString() : next;
      hops.add(response.statusCode() + " " + next.replaceAll("\\?.*", ""));
      response = browser.get(next);
    }
    System.out.println("PEER hops for " + patient + ": " + hops + " -> " + response.statusCode()
        + (response.statusCode() == 200 ? "" : " " + response.body().substring(0, Math.min(300, response.body().length()))));
    return response;
  }
}
