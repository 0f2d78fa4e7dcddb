package org.ketamineadvisor.advisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SMART launches over HTTP without a browser, against {@link FakeEhr} (discovery, token endpoint, id_tokens, a
 * Patient): the authorization request's parameters, the callback, the launch context, and every refusal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class LaunchFlowTest {

  static final FakeEhr EHR = new FakeEhr();
  static final RSAKey APP_KEY;
  static final Path APP_KEY_FILE;
  static final String TOKEN = "secret-access-token";

  static {
    try {
      APP_KEY = new RSAKeyGenerator(2048).keyID("app-key-1").generate();
      APP_KEY_FILE = Files.createTempFile("client-keys", ".json");
      Files.writeString(APP_KEY_FILE, new JWKSet(APP_KEY).toString(false));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

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
    registry.add("advisor.ehrs[3].issuer", () -> EHR.fhir("jwt"));
    registry.add("advisor.ehrs[3].client-id", () -> "advisor-jwt");
    registry.add("advisor.ehrs[3].client-authentication", () -> "private_key_jwt");
    registry.add("advisor.ehrs[3].jwk-set-location", () -> APP_KEY_FILE.toUri().toString());
    registry.add("advisor.ehrs[4].issuer", () -> EHR.fhir("garbled"));
    registry.add("advisor.ehrs[4].client-id", () -> "advisor");
    registry.add("advisor.security.frame-ancestors", () -> "'self' https://ehr.example.org");
  }

  @AfterAll
  static void stop() throws Exception {
    EHR.close();
    Files.deleteIfExists(APP_KEY_FILE);
  }

  String app(String path) {
    return "http://localhost:" + port + path;
  }

  /** Launches, lets the fake EHR "consent" with {@code grant}, and follows the callback; returns the callback's answer. */
  HttpResponse<String> launchAndConsent(Browser browser, String iss, String launch, String code, Grant grant) {
    HttpResponse<String> launched = browser.get(app("/launch?iss=" + iss + (launch == null ? "" : "&launch=" + launch)));
    assertThat(launched.statusCode()).isEqualTo(302);
    Map<String, String> authorize = Browser.query(Browser.location(launched));
    EHR.issueCode(code, grant.forNonce(authorize.get("nonce")));
    return browser.get(authorize.get("redirect_uri") + "?code=" + code + "&state=" + authorize.get("state"));
  }

  record Grant(String scope, boolean banner, Integer expiresIn, boolean refresh) {
    static Grant everything() {
      return new Grant(String.join(" ", EhrRegistration.DEFAULT_SCOPES), true, 3600, true);
    }

    FakeEhr.Grant forNonce(String nonce) {
      return new FakeEhr.Grant(nonce, "pat-1", scope, banner, "Practitioner/practitioner-1", expiresIn, refresh);
    }
  }

  @Nested
  class TheAuthorizationRequest {

    @Test
    void anEhrLaunchCarriesPkceStateNonceLaunchAudAndTheV2Scopes() {
      HttpResponse<String> response = new Browser().get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=opaque-123"));

      assertThat(response.statusCode()).isEqualTo(302);
      String location = Browser.location(response);
      assertThat(location).startsWith(EHR.base() + "/authorize?");
      Map<String, String> query = Browser.query(location);
      assertThat(query).containsEntry("response_type", "code")
          .containsEntry("client_id", "advisor-public")
          .containsEntry("redirect_uri", app("/launch/callback"))
          .containsEntry("code_challenge_method", "S256")
          .containsEntry("launch", "opaque-123")
          .containsEntry("aud", EHR.fhir("fhir"))
          .containsKeys("state", "nonce", "code_challenge");
      assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
      assertThat(query.get("scope").split(" ")).containsExactlyInAnyOrderElementsOf(EhrRegistration.DEFAULT_SCOPES);
    }

    @Test
    void aStandaloneLaunchAsksForAPatientInsteadOfSendingLaunch() {
      Map<String, String> query = Browser.query(Browser.location(new Browser().get(app("/launch?iss=" + EHR.fhir("fhir")))));

      assertThat(query).doesNotContainKey("launch").containsEntry("aud", EHR.fhir("fhir"));
      assertThat(query.get("scope").split(" ")).contains("launch/patient", "openid", "fhirUser").doesNotContain("launch");
    }

    @Test
    void aV1OnlyServerIsAskedInV1Spelling() {
      Map<String, String> query = Browser.query(Browser.location(
          new Browser().get(app("/launch?iss=" + EHR.fhir("v1") + "&launch=x"))));

      assertThat(query.get("scope").split(" ")).contains("patient/Condition.read", "patient/Patient.read",
          "patient/CarePlan.write", "patient/RiskAssessment.write", "launch").doesNotContain("patient/Condition.rs");
    }

    @Test
    void aTrailingSlashOnIssDoesNotMatter() {
      assertThat(new Browser().get(app("/launch?iss=" + EHR.fhir("fhir") + "/&launch=x")).statusCode()).isEqualTo(302);
    }
  }

  @Nested
  class RefusedLaunches {

    @Test
    void anIssuerNotOnTheAllowListGetsAnErrorPageAndNoRedirect() {
      HttpResponse<String> response = new Browser().get(app("/launch?iss=https://evil.example.org/fhir&launch=1"));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.headers().firstValue("Location")).isEmpty();
      assertThat(response.body()).contains("does not accept launches from https://evil.example.org/fhir")
          .contains("allow-list");
    }

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
    void aCallbackWithAWrongStateIsRefused() {
      Browser browser = new Browser();
      HttpResponse<String> launched = browser.get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=1"));
      Map<String, String> authorize = Browser.query(Browser.location(launched));
      EHR.issueCode("code-wrong-state", Grant.everything().forNonce(authorize.get("nonce")));

      HttpResponse<String> callback = browser.get(app("/launch/callback?code=code-wrong-state&state=forged"));

      assertThat(callback.statusCode()).isEqualTo(400);
      assertThat(callback.body()).contains("state mismatch");
      assertThat(EHR.tokenRequests).noneMatch(form -> "code-wrong-state".equals(form.get("code")));
    }

    @Test
    void aReplayedCodeIsRefusedByTheEhrAndExplained() {
      Browser browser = new Browser();
      assertThat(launchAndConsent(browser, EHR.fhir("fhir"), "1", "code-once", Grant.everything()).statusCode())
          .isEqualTo(302);
      HttpResponse<String> second = browser.get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=2"));
      String state = Browser.query(Browser.location(second)).get("state");

      HttpResponse<String> replay = browser.get(app("/launch/callback?code=code-once&state=" + state));

      assertThat(replay.statusCode()).isEqualTo(400);
      assertThat(replay.body()).contains("already used");
    }

    @Test
    void theEhrRefusingAccessIsExplained() {
      Browser browser = new Browser();
      String state = Browser.query(Browser.location(
          browser.get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=1")))).get("state");

      HttpResponse<String> callback = browser.get(app("/launch/callback?error=access_denied&state=" + state));

      assertThat(callback.statusCode()).isEqualTo(400);
      assertThat(callback.body()).contains("Access was not granted");
    }

    @Test
    void thePatientPageWithoutALaunchAsksForARelaunch() {
      HttpResponse<String> response = new Browser().get(app("/patient"));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("Launch it again");
    }
  }

  @Nested
  class CompletedLaunches {

    @Test
    void aPublicClientWithPkceLandsOnThePatientPageWithTheBanner(CapturedOutput logs) throws Exception {
      Browser browser = new Browser();
      HttpResponse<String> launched = browser.get(app("/launch?iss=" + EHR.fhir("fhir") + "&launch=abc"));
      String sessionBefore = browser.cookie("JSESSIONID");
      Map<String, String> authorize = Browser.query(Browser.location(launched));
      EHR.issueCode("code-public", Grant.everything().forNonce(authorize.get("nonce")));

      HttpResponse<String> callback =
          browser.get(authorize.get("redirect_uri") + "?code=code-public&state=" + authorize.get("state"));

      assertThat(callback.statusCode()).isEqualTo(302);
      assertThat(Browser.location(callback)).endsWith("/patient");
      assertThat(browser.cookie("JSESSIONID")).as("session fixation protection").isNotEqualTo(sessionBefore);
      Map<String, String> tokenRequest = EHR.tokenRequests.stream()
          .filter(form -> "code-public".equals(form.get("code"))).findFirst().orElseThrow();
      assertThat(tokenRequest).containsEntry("client_id", "advisor-public")
          .containsEntry("redirect_uri", app("/launch/callback"))
          .doesNotContainKey("client_secret");
      assertThat(s256(tokenRequest.get("code_verifier"))).isEqualTo(authorize.get("code_challenge"));

      HttpResponse<String> patient = browser.get(app("/patient"));

      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(patient.body()).contains("Ada Lovelace").contains("1965-12-10")
          .contains("granted everything the app needs")
          .doesNotContain(TOKEN).doesNotContain("secret-refresh-token");
      assertThat(EHR.fhirAuthorizations).contains("Bearer " + TOKEN);
      assertThat(logs.getAll()).doesNotContain(TOKEN).doesNotContain("pat-1").contains("[launch=");
    }

    @Test
    void theLaunchContextIsKeptOnTheServer() {
      Browser browser = new Browser();
      launchAndConsent(browser, EHR.fhir("fhir"), "ctx", "code-ctx", Grant.everything());

      // the context is not in the page: the session holds it (checked through the page's behaviour)
      HttpResponse<String> patient = browser.get(app("/patient"));
      assertThat(patient.body()).doesNotContain("pat-1").doesNotContain("practitioner-1");
      assertThat(EHR.fhirAuthorizations).isNotEmpty();
    }

    @Test
    void narrowedScopesMakeTheAppReadOnlyAndSaySo() {
      Browser browser = new Browser();
      String narrowed = "openid fhirUser launch patient/Patient.r patient/Condition.rs patient/Observation.rs "
          + "patient/MedicationRequest.rs patient/MedicationStatement.rs patient/AllergyIntolerance.rs";
      launchAndConsent(browser, EHR.fhir("fhir"), "n", "code-narrow", new Grant(narrowed, false, 3600, false));

      HttpResponse<String> patient = browser.get(app("/patient"));

      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(patient.body()).contains("Read-only: the EHR did not grant permission to write RiskAssessments "
          + "or CarePlans or Provenance records").doesNotContain("Ada Lovelace");
    }

    @Test
    void aConfidentialClientSendsItsSecretAsBasicCredentials() {
      Browser browser = new Browser();
      HttpResponse<String> callback = launchAndConsent(browser, EHR.fhir("v1"), "b", "code-basic",
          new Grant("openid fhirUser launch patient/*.read", true, 3600, false));

      assertThat(callback.statusCode()).isEqualTo(302);
      int index = indexOfCode("code-basic");
      assertThat(EHR.tokenAuthorizations.get(index)).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString("advisor-basic:s3cret".getBytes(StandardCharsets.UTF_8)));
      assertThat(EHR.tokenRequests.get(index)).containsKey("code_verifier").doesNotContainKey("client_secret");
      assertThat(browser.get(app("/patient")).body()).contains("Read-only");
    }

    @Test
    void aPrivateKeyJwtClientSignsAnRs384AssertionTheJwksVerifies() throws Exception {
      Browser browser = new Browser();
      HttpResponse<String> callback =
          launchAndConsent(browser, EHR.fhir("jwt"), "j", "code-jwt", Grant.everything());

      assertThat(callback.statusCode()).isEqualTo(302);
      Map<String, String> form = EHR.tokenRequests.get(indexOfCode("code-jwt"));
      assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
      assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
      assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("advisor-jwt");
      assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("advisor-jwt");
      assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(EHR.base() + "/token");
      JWKSet published = JWKSet.parse(new Browser().get(app("/.well-known/jwks.json")).body());
      RSAKey publicKey = (RSAKey) published.getKeyByKeyId("app-key-1");
      assertThat(publicKey.isPrivate()).isFalse();
      assertThat(assertion.verify(new RSASSAVerifier(publicKey))).isTrue();
    }

    @Test
    void anExpiredAccessTokenIsRefreshed() {
      Browser browser = new Browser();
      // 30 s is inside Spring's 60 s clock skew: the token counts as expired at once
      launchAndConsent(browser, EHR.fhir("fhir"), "r", "code-refresh", new Grant(
          String.join(" ", EhrRegistration.DEFAULT_SCOPES), true, 30, true));

      HttpResponse<String> patient = browser.get(app("/patient"));

      assertThat(patient.statusCode()).isEqualTo(200);
      assertThat(EHR.tokenRequests).anyMatch(form -> "refresh_token".equals(form.get("grant_type"))
          && "secret-refresh-token".equals(form.get("refresh_token")));
      assertThat(EHR.fhirAuthorizations).contains("Bearer refreshed-access");
    }

    @Test
    void anExpiredSessionWithoutRefreshAsksForARelaunch() throws Exception {
      Browser browser = new Browser();
      launchAndConsent(browser, EHR.fhir("fhir"), "e", "code-expired", new Grant(
          String.join(" ", EhrRegistration.DEFAULT_SCOPES), true, 1, false));
      Thread.sleep(1_100);

      HttpResponse<String> patient = browser.get(app("/patient"));

      assertThat(patient.statusCode()).isEqualTo(401);
      assertThat(patient.body()).contains("Launch it again");
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
    void aPostWithoutCsrfTokenIsForbiddenAndWithItAccepted() {
      Browser browser = new Browser();
      launchAndConsent(browser, EHR.fhir("fhir"), "p", "code-csrf", Grant.everything());
      String page = browser.get(app("/patient")).body();

      assertThat(browser.postForm(app("/logout"), Map.of()).statusCode()).isEqualTo(403);
      assertThat(browser.get(app("/patient")).statusCode()).as("still signed in").isEqualTo(200);

      Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
      assertThat(csrf.find()).isTrue();
      assertThat(browser.postForm(app("/logout"), Map.of("_csrf", csrf.group(1))).statusCode()).isEqualTo(302);
      assertThat(browser.get(app("/patient")).statusCode()).isEqualTo(401);
    }

    @Test
    void healthProbesArePublic() {
      assertThat(new Browser().get(app("/actuator/health/liveness")).statusCode()).isEqualTo(200);
      assertThat(new Browser().get(app("/actuator/health/readiness")).statusCode()).isEqualTo(200);
    }
  }

  private static int indexOfCode(String code) {
    for (int i = 0; i < EHR.tokenRequests.size(); i++) {
      if (code.equals(EHR.tokenRequests.get(i).get("code"))) {
        return i;
      }
    }
    throw new AssertionError("no token request for " + code);
  }

  private static String s256(String verifier) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }
}
