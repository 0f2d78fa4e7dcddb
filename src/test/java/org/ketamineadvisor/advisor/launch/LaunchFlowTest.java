package org.ketamineadvisor.advisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the real sandbox EHR cannot show (see {@link SandboxLaunchFlowTest} for the launch flows): EHRs with a missing
 * or broken SMART configuration, a v1-only server, launches without {@code iss}, and the browser-security settings
 * in their production form (Secure cookies, an EHR origin in frame-ancestors), against {@link FakeEhr}'s discovery.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LaunchFlowTest {

  static final FakeEhr EHR = new FakeEhr();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void ehrs(DynamicPropertyRegistry registry) {
    registry.add("advisor.ehrs[0].issuer", () -> EHR.fhir("fhir"));
    registry.add("advisor.ehrs[0].client-id", () -> "advisor-public");
    registry.add("advisor.ehrs[1].issuer", () -> EHR.fhir("broken"));
    registry.add("advisor.ehrs[1].client-id", () -> "advisor");
    registry.add("advisor.ehrs[2].issuer", () -> EHR.fhir("v1"));
    registry.add("advisor.ehrs[2].client-id", () -> "advisor-basic");
    registry.add("advisor.ehrs[2].client-authentication", () -> "client_secret_basic");
    registry.add("advisor.ehrs[2].client-secret", () -> "s3cret");
    registry.add("advisor.ehrs[3].issuer", () -> EHR.fhir("garbled"));
    registry.add("advisor.ehrs[3].client-id", () -> "advisor");
    registry.add("advisor.security.frame-ancestors", () -> "'self' https://ehr.example.org");
  }

  @AfterAll
  static void stop() throws Exception {
    EHR.close();
  }

  String app(String path) {
    return "http://localhost:" + port + path;
  }

  @Nested
  class TheAuthorizationRequest {

    @Test
    void aV1OnlyServerIsAskedInV1Spelling() {
      Map<String, String> query = Browser.query(Browser.location(
          new Browser().get(app("/launch?iss=" + EHR.fhir("v1") + "&launch=x"))));

      assertThat(query.get("scope").split(" ")).contains("patient/Condition.read", "patient/Patient.read",
          "patient/CarePlan.*", "patient/RiskAssessment.*", "patient/Goal.*", "patient/MedicationAdministration.read",
          "launch")
          .doesNotContain("patient/Condition.rs");
    }
  }

  @Nested
  class RefusedLaunches {

    @Test
    void aLaunchWithoutIssSaysWhatIsMissing() {
      HttpResponse<String> response = new Browser().get(app("/launch?launch=1"));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("no iss parameter");
    }

    @Test
    void anEhrWithoutSmartConfigurationGetsAClearErrorPage() {
      HttpResponse<String> response = new Browser().get(app("/launch?iss=" + EHR.fhir("broken") + "&launch=1"));

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.headers().firstValue("Location")).isEmpty();
      assertThat(response.body()).contains(EHR.fhir("broken") + "/.well-known/smart-configuration")
          .contains("HTTP 404");
    }

    @Test
    void anInvalidSmartConfigurationGetsAClearErrorPage() {
      HttpResponse<String> response = new Browser().get(app("/launch?iss=" + EHR.fhir("garbled") + "&launch=1"));

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("did not return valid JSON");
    }

    @Test
    void thePatientPageWithoutALaunchAsksForARelaunch() {
      HttpResponse<String> response = new Browser().get(app("/patient"));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("Launch it again");
    }
  }

  @Nested
  class BrowserSecurity {

    @Test
    void pagesCarryTheCspWithFrameAncestorsAndNoXFrameOptions() {
      HttpResponse<String> response = new Browser().get(app("/"));

      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'self'; frame-ancestors 'self' https://ehr.example.org");
      assertThat(response.headers().firstValue("X-Frame-Options")).isEmpty();
      assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteLaxAndSecure() {
      HttpResponse<String> response = new Browser().get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=c"));

      assertThat(response.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
          .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Lax").contains("Secure"));
    }

    @Test
    void healthProbesArePublic() {
      assertThat(new Browser().get(app("/actuator/health/liveness")).statusCode()).isEqualTo(200);
      assertThat(new Browser().get(app("/actuator/health/readiness")).statusCode()).isEqualTo(200);
    }
  }
}
