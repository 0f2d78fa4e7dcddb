package org.ketamineadvisor.advisor.sandbox;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SMART App Launch flows against the sandbox EHR over plain HTTP, as an app's server side and a browser do. */
class SandboxEhrTest {

  private static final String APP = "http://localhost:8080";
  private static final List<String> APP_SCOPES = List.of("openid", "fhirUser", "launch",
      "patient/Condition.rs", "patient/Observation.rs", "patient/MedicationRequest.rs",
      "patient/MedicationStatement.rs", "patient/AllergyIntolerance.rs", "patient/Patient.r",
      "patient/RiskAssessment.c", "patient/CarePlan.cu", "patient/Provenance.c");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MovableClock CLOCK = new MovableClock();

  private static SandboxEhr sandbox;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(APP).withClock(CLOCK));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @Test
  void ehrLaunchWithPkceGivesThePatientContextAndAnIdTokenWithFhirUser() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES).withLaunch(sandbox.createLaunch("crps-suitable"));

    JsonNode token = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), null)).json();

    assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.path("patient").asText()).isEqualTo("crps-suitable");
    assertThat(token.path("need_patient_banner").isBoolean()).isTrue();
    assertThat(token.path("need_patient_banner").asBoolean()).isFalse();
    assertThat(token.has("encounter")).as("no encounter in context, so none in the response").isFalse();
    assertThat(token.path("smart_style_url").asText()).startsWith(sandbox.issuer());
    assertThat(token.path("scope").asText().split(" ")).containsAll(APP_SCOPES);
    assertThat(token.has("refresh_token")).as("Spring Authorization Server gives public clients none").isFalse();
    JsonNode idToken = claims(token.path("id_token").asText());
    assertThat(idToken.path("fhirUser").asText()).isEqualTo(sandbox.fhirBaseUrl() + "/Practitioner/dr-ada");
    assertThat(idToken.path("aud").toString()).contains("ketamine-advisor");
    JsonNode accessToken = claims(token.path("access_token").asText());
    assertThat(accessToken.path("patient").asText()).isEqualTo("crps-suitable");
    assertThat(accessToken.path("fhirUser").asText()).isEqualTo("Practitioner/dr-ada");
    assertThat(accessToken.path("aud").toString()).contains(sandbox.fhirBaseUrl());
  }

  @Test
  void theDefaultScopesLetTheAppReviseTheShowcaseSignedPlanInOneTransaction() {
    String token = sandbox.patientToken("signed-plan", org.ketamineadvisor.advisor.launch.EhrRegistration.DEFAULT_SCOPES,
        "Practitioner/dr-ada");
    var workspace = org.ketamineadvisor.advisor.workspace.PatientWorkspace.forR4(
        org.ketamineadvisor.advisor.terminology.ValueSetTerminology.loadDefault(),
        new org.ketamineadvisor.advisor.terminology.UcumUnitConverter(),
        org.ketamineadvisor.advisor.fhir.server.FhirClientSettings.defaults());
    var access = new org.ketamineadvisor.advisor.fhir.chart.ChartAccess(true, true);
    var opened = workspace.open(new org.ketamineadvisor.advisor.workspace.PatientWorkspace.Launch(sandbox.fhirBaseUrl(),
        "signed-plan", token, java.time.LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF), access));
    assertThat(opened.chart().checked()).as(opened.chart().problem()).isTrue();
    var signedPlan = opened.chart().currentPlan();
    assertThat(signedPlan).as("the sandbox signs this showcase plan at start-up").isPresent();
    assertThat(opened.chart().signed()).isNotNull();

    var result = workspace.sign(opened, workspace.assess(opened, List.of(), List.of(),
        new org.ketamineadvisor.advisor.careplan.PlanRequest(null, null, 8)),
        new org.ketamineadvisor.advisor.workspace.PatientWorkspace.Signing("Practitioner/dr-ada", "Dr Ada Lovelace", CLOCK.instant(), "test",
            token, access, signedPlan.get(), false));
    assertThat(result.succeeded()).as(result.failure()).isTrue();
  }

  @Test
  void theAccessTokenReadsItsPatientsRecordButNotAnotherPatientsAndCannotWriteWithoutScope() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, List.of("openid", "launch",
        "patient/Condition.rs", "patient/Patient.r")).withLaunch(sandbox.createLaunch("crps-suitable"));
    String accessToken = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), null))
        .json().path("access_token").asText();
    SandboxBrowser app = new SandboxBrowser();
    String fhir = sandbox.fhirBaseUrl();

    HttpResponse<String> own = app.get(fhir + "/Condition?patient=crps-suitable", accessToken);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(own.body()).path("entry")).isNotEmpty();
    assertThat(app.get(fhir + "/Patient/crps-suitable", accessToken).statusCode()).isEqualTo(200);

    HttpResponse<String> others = app.get(fhir + "/Condition?patient=sci-precautions", accessToken);
    assertThat(others.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(others.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(app.get(fhir + "/Patient/sci-precautions", accessToken).statusCode()).isEqualTo(403);
    assertThat(app.get(fhir + "/Observation?patient=crps-suitable", accessToken).statusCode())
        .as("no Observation scope").isEqualTo(403);
    assertThat(app.get(fhir + "/Patient?_id=crps-suitable", accessToken).statusCode())
        .as("Patient.r reads by id but does not search").isEqualTo(403);

    String riskAssessment = "{\"resourceType\":\"RiskAssessment\",\"status\":\"final\","
        + "\"subject\":{\"reference\":\"Patient/crps-suitable\"}}";
    assertThat(app.postJson(fhir + "/RiskAssessment", accessToken, riskAssessment).statusCode())
        .as("no patient/RiskAssessment.c").isEqualTo(403);
  }

  @Test
  void withCreateScopeTheAppWritesForItsPatientOnly() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, List.of("launch", "patient/RiskAssessment.c"))
        .withLaunch(sandbox.createLaunch("crps-suitable"));
    String accessToken = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), null))
        .json().path("access_token").asText();
    SandboxBrowser app = new SandboxBrowser();

    assertThat(app.postJson(sandbox.fhirBaseUrl() + "/RiskAssessment", accessToken, riskAssessmentFor("crps-suitable"))
        .statusCode()).isEqualTo(201);
    assertThat(app.postJson(sandbox.fhirBaseUrl() + "/RiskAssessment", accessToken, riskAssessmentFor("minor"))
        .statusCode()).isEqualTo(403);
  }

  @Test
  void aTokenWithoutAPatientCreatesNoProvenanceWhateverItsUserScopes() {
    String provenance = "{\"resourceType\":\"Provenance\",\"target\":[{\"reference\":\"Patient/crps-suitable\"}],"
        + "\"recorded\":\"2026-06-01T08:00:00Z\",\"agent\":[{\"who\":{\"reference\":\"Practitioner/dr-ada\"}}]}";
    SandboxBrowser app = new SandboxBrowser();
    String clinic = sandbox.patientToken(null, List.of("user/Provenance.c", "user/Patient.rs"), "Practitioner/dr-ada");
    String patient = sandbox.patientToken("crps-suitable", List.of("patient/Provenance.c"), "Practitioner/dr-ada");

    assertThat(app.postJson(sandbox.fhirBaseUrl() + "/Provenance", clinic, provenance).statusCode())
        .as("no patient in the token: no write").isEqualTo(403);
    assertThat(app.postJson(sandbox.fhirBaseUrl() + "/Provenance", patient, provenance).statusCode()).isEqualTo(201);
  }

  @Test
  void scopesUntickedOnTheConsentPageAreNotGranted() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("sci-precautions"));

    JsonNode token = exchange(authorization, authorize(new SandboxBrowser(), authorization,
        Set.of("patient/Observation.rs", "patient/CarePlan.cu"), null)).json();

    List<String> granted = List.of(token.path("scope").asText().split(" "));
    assertThat(granted).contains("patient/Condition.rs", "openid")
        .doesNotContain("patient/Observation.rs", "patient/CarePlan.cu");
    String accessToken = token.path("access_token").asText();
    assertThat(claims(accessToken).path("scope").toString()).doesNotContain("Observation");
    assertThat(new SandboxBrowser().get(sandbox.fhirBaseUrl() + "/Observation?patient=sci-precautions", accessToken)
        .statusCode()).isEqualTo(403);
  }

  @Test
  void aWrongPkceVerifierIsAnInvalidGrant() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("crps-suitable"));
    String code = authorize(new SandboxBrowser(), authorization, Set.of(), null);

    TokenResponse response = exchange(authorization.withVerifier(Authorization.newVerifier()), code);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void aReplayedCodeIsAnInvalidGrant() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("crps-suitable"));
    String code = authorize(new SandboxBrowser(), authorization, Set.of(), null);
    assertThat(exchange(authorization, code).status()).isEqualTo(200);

    TokenResponse replay = exchange(authorization, code);

    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.json().path("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void anAudienceOtherThanTheFhirServerIsAnInvalidRequest() {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("crps-suitable")).withAud("https://elsewhere.example/fhir");

    Map<String, String> redirect = SandboxBrowser.query(authorizeToApp(new SandboxBrowser(), authorization, Set.of(), null));

    assertThat(redirect).containsEntry("error", "invalid_request").containsEntry("state", authorization.state())
        .doesNotContainKey("code");
    assertThat(redirect.get("error_description")).contains("aud");
  }

  @Test
  void anUnknownLaunchCodeIsAnInvalidRequest() {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES).withLaunch("made-up");

    Map<String, String> redirect = SandboxBrowser.query(authorizeToApp(new SandboxBrowser(), authorization, Set.of(), null));

    assertThat(redirect).containsEntry("error", "invalid_request").doesNotContainKey("code");
  }

  @Test
  void standaloneLaunchAsksForThePatientAfterSignIn() throws Exception {
    List<String> scopes = new ArrayList<>(APP_SCOPES);
    scopes.set(scopes.indexOf("launch"), "launch/patient");
    Authorization authorization = Authorization.publicClient(sandbox, scopes);

    JsonNode token = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), "minor")).json();

    assertThat(token.path("patient").asText()).isEqualTo("minor");
    assertThat(token.path("need_patient_banner").asBoolean()).isTrue();
    assertThat(new SandboxBrowser().get(sandbox.fhirBaseUrl() + "/Condition?patient=minor",
        token.path("access_token").asText()).statusCode()).isEqualTo(200);
  }

  @Test
  void aConfidentialClientRefreshesItsTokenAndKeepsThePatient() throws Exception {
    List<String> scopes = new ArrayList<>(APP_SCOPES);
    scopes.add("offline_access");
    Authorization authorization = Authorization.confidentialClient(sandbox, scopes)
        .withLaunch(sandbox.createLaunch("opioid-benzo"));
    JsonNode first = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), null)).json();
    assertThat(first.path("refresh_token").asText()).isNotBlank();

    HttpResponse<String> refreshed = new SandboxBrowser().postForm(sandbox.issuer() + "/oauth2/token", Map.of(
        "grant_type", List.of("refresh_token"), "refresh_token", List.of(first.path("refresh_token").asText())),
        SandboxBrowser.basic(SmartAuthorizationServerConfig.CONFIDENTIAL_CLIENT, SandboxOptions.DEFAULT_CONFIDENTIAL_SECRET));

    assertThat(refreshed.statusCode()).isEqualTo(200);
    JsonNode second = JSON.readTree(refreshed.body());
    assertThat(second.path("access_token").asText()).isNotEqualTo(first.path("access_token").asText());
    assertThat(second.path("patient").asText()).isEqualTo("opioid-benzo");
    assertThat(new SandboxBrowser().get(sandbox.fhirBaseUrl() + "/Condition?patient=opioid-benzo",
        second.path("access_token").asText()).statusCode()).isEqualTo(200);
  }

  @Test
  void aConfidentialClientWithAWrongSecretIsRejected() throws Exception {
    Authorization authorization = Authorization.confidentialClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("opioid-benzo"));
    String code = authorize(new SandboxBrowser(), authorization, Set.of(), null);

    HttpResponse<String> response = new SandboxBrowser().postForm(sandbox.issuer() + "/oauth2/token",
        authorization.tokenForm(code), SandboxBrowser.basic(SmartAuthorizationServerConfig.CONFIDENTIAL_CLIENT, "wrong"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void anExpiredOrMissingOrForeignTokenIsTurnedAwayWith401() throws Exception {
    Authorization authorization = Authorization.publicClient(sandbox, APP_SCOPES)
        .withLaunch(sandbox.createLaunch("crps-suitable"));
    JsonNode token = exchange(authorization, authorize(new SandboxBrowser(), authorization, Set.of(), null)).json();
    SandboxBrowser app = new SandboxBrowser();
    String conditions = sandbox.fhirBaseUrl() + "/Condition?patient=crps-suitable";

    HttpResponse<String> missing = app.get(conditions);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    HttpResponse<String> idTokenAsBearer = app.get(conditions, token.path("id_token").asText());
    assertThat(idTokenAsBearer.statusCode()).as("an id_token is not meant for the FHIR server").isEqualTo(401);

    CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));
    try {
      HttpResponse<String> expired = app.get(conditions, token.path("access_token").asText());
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    } finally {
      CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1).negated());
    }
  }

  @Test
  void metadataAndSmartConfigurationArePublic() throws Exception {
    SandboxBrowser app = new SandboxBrowser();
    assertThat(app.get(sandbox.fhirBaseUrl() + "/metadata").statusCode()).isEqualTo(200);

    HttpResponse<String> discovery = app.get(sandbox.fhirBaseUrl() + "/.well-known/smart-configuration");

    assertThat(discovery.statusCode()).isEqualTo(200);
    JsonNode configuration = JSON.readTree(discovery.body());
    assertThat(configuration.path("issuer").asText()).isEqualTo(sandbox.issuer());
    assertThat(configuration.path("authorization_endpoint").asText()).isEqualTo(sandbox.issuer() + "/oauth2/authorize");
    assertThat(configuration.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    assertThat(configuration.path("capabilities").toString()).contains("launch-ehr", "launch-standalone",
        "client-public", "client-confidential-asymmetric", "permission-v2", "sso-openid-connect");
    assertThat(configuration.path("scopes_supported").toString()).contains("patient/Condition.rs", "patient/*.read");
    JsonNode openid = JSON.readTree(app.get(sandbox.issuer() + "/.well-known/openid-configuration").body());
    assertThat(openid.path("jwks_uri").asText()).isEqualTo(configuration.path("jwks_uri").asText());
  }

  @Test
  void theEhrSimulatorListsThePatientsAndLaunchesTheAppInAnIframe() {
    SandboxBrowser browser = new SandboxBrowser();
    HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
    assertThat(ehr.statusCode()).isEqualTo(200);
    assertThat(ehr.body()).contains("crps-suitable", "psychosis-contraindicated", "CRPS",
        "aria-label=\"Launch the app for", SandboxOptions.DEFAULT_APP_BASE + "/launch?iss=");

    HttpResponse<String> launched = browser.postForm(sandbox.issuer() + SandboxPages.EHR_LAUNCH_PATH, Map.of(
        "patient", List.of("crps-suitable"), "_csrf", List.of(SandboxBrowser.csrf(ehr.body()))));

    assertThat(launched.statusCode()).isEqualTo(200);
    String iss = URLEncoder.encode(sandbox.fhirBaseUrl(), StandardCharsets.UTF_8);
    assertThat(launched.body()).containsPattern("<iframe title=\"[^\"]+\" src=\"" + APP + "/launch\\?iss=" + iss
        + "&amp;launch=[A-Za-z0-9_-]{20,}\"");
  }

  @Test
  void theEhrsDateAndTimeIsSetOnTheSimulatorAndExpiresNoToken() {
    Instant started = sandbox.ehrClock().instant();
    String token = sandbox.readToken("crps-suitable");
    SandboxBrowser browser = new SandboxBrowser();
    HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
    assertThat(ehr.body()).contains("EHR date and time", "Mon 2026-06-01 ", "UTC", "name=\"at\"", ">+1 day<",
        ">+1 week<");
    try {
      HttpResponse<String> set = browser.postForm(sandbox.issuer() + EhrClockForm.PATH,
          SandboxBrowser.form("at", "2026-08-24 09:30", "set", "at", "_csrf", SandboxBrowser.csrf(ehr.body())));
      assertThat(set.statusCode()).isEqualTo(302);
      HttpResponse<String> moved = browser.followWithin(sandbox.issuer(), set);
      assertThat(moved.body()).contains("Mon 2026-08-24 09:3");
      assertThat(sandbox.ehrClock().instant()).isBetween(Instant.parse("2026-08-24T09:30:00Z"),
          Instant.parse("2026-08-24T09:35:00Z"));

      HttpResponse<String> nextDay = browser.followWithin(sandbox.issuer(), browser.postForm(
          sandbox.issuer() + EhrClockForm.PATH, SandboxBrowser.form("advance", "P1D", "_csrf",
              SandboxBrowser.csrf(moved.body()))));
      assertThat(nextDay.body()).contains("Tue 2026-08-25 09:3");

      HttpResponse<String> withoutCsrf = browser.postForm(sandbox.issuer() + EhrClockForm.PATH,
          SandboxBrowser.form("advance", "P7D"));
      assertThat(withoutCsrf.statusCode()).isEqualTo(403);
      HttpResponse<String> nonsense = browser.postForm(sandbox.issuer() + EhrClockForm.PATH,
          SandboxBrowser.form("at", "next tuesday", "_csrf", SandboxBrowser.csrf(nextDay.body())));
      assertThat(nonsense.statusCode()).isEqualTo(400);
      assertThat(nonsense.body()).contains("must look like 2026-06-02 09:30");
      assertThat(sandbox.ehrClock().instant()).isBefore(Instant.parse("2026-08-26T00:00:00Z"));

      // twelve weeks on in the EHR, the token issued before is still good: tokens keep real time
      assertThat(new SandboxBrowser().get(sandbox.fhirBaseUrl() + "/Patient/crps-suitable", token).statusCode())
          .isEqualTo(200);
    } finally {
      sandbox.ehrClock().set(started);
    }
  }

  @Test
  void aPainScoreIsRecordedOnItsOwnAtTheEhrsTime() {
    Instant started = sandbox.ehrClock().instant();
    sandbox.ehrClock().set(Instant.parse("2026-06-11T10:00:00Z"));
    try {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
      HttpResponse<String> launched = browser.postForm(sandbox.issuer() + SandboxPages.EHR_LAUNCH_PATH,
          SandboxBrowser.form("patient", "crps-suitable", "_csrf", SandboxBrowser.csrf(ehr.body())));
      assertThat(launched.body()).contains("Record the pain score now").contains("Thu 2026-06-11 10:0");

      HttpResponse<String> recorded = browser.postForm(sandbox.issuer() + ChartRecorder.PATH, SandboxBrowser.form(
          "patient", "crps-suitable", "what", "pain", "pain", "5", "_csrf", SandboxBrowser.csrf(launched.body())));

      assertThat(recorded.statusCode()).isEqualTo(200);
      assertThat(recorded.body()).contains("at 2026-06-11 10:0").contains("pain 5/10").doesNotContain("BP ");
      JsonNode found = json(new SandboxBrowser().get(sandbox.fhirBaseUrl()
          + "/Observation?patient=crps-suitable&date=2026-06-11", sandbox.readToken("crps-suitable")).body());
      assertThat(found.path("entry").size()).as("the pain score alone, no vital signs").isEqualTo(1);
      JsonNode pain = found.path("entry").get(0).path("resource");
      assertThat(pain.path("code").path("coding").get(0).path("code").asText()).isEqualTo("72514-3");
      assertThat(pain.path("valueQuantity").path("value").asInt()).isEqualTo(5);
      assertThat(pain.path("category").get(0).path("coding").get(0).path("code").asText()).isEqualTo("survey");
      assertThat(pain.path("effectiveDateTime").asText()).startsWith("2026-06-11T10:0");
    } finally {
      sandbox.ehrClock().set(started);
    }
  }

  @Test
  void aPregnancyTestIsRecordedForTheFirstSessionsCheck() {
    Instant started = sandbox.ehrClock().instant();
    sandbox.ehrClock().set(Instant.parse("2026-06-12T08:00:00Z"));
    try {
      SandboxBrowser browser = new SandboxBrowser();
      HttpResponse<String> ehr = signIn(browser, browser.get(sandbox.ehrUrl()));
      HttpResponse<String> launched = browser.postForm(sandbox.issuer() + SandboxPages.EHR_LAUNCH_PATH,
          SandboxBrowser.form("patient", "crps-suitable", "_csrf", SandboxBrowser.csrf(ehr.body())));
      assertThat(launched.body()).contains("Record the pregnancy test now");
      String csrf = SandboxBrowser.csrf(launched.body());

      HttpResponse<String> refused = browser.postForm(sandbox.issuer() + ChartRecorder.PATH, SandboxBrowser.form(
          "patient", "crps-suitable", "what", "hcg", "hcg", "maybe", "_csrf", csrf));
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("hcg must be negative or positive");

      HttpResponse<String> recorded = browser.postForm(sandbox.issuer() + ChartRecorder.PATH, SandboxBrowser.form(
          "patient", "crps-suitable", "what", "hcg", "hcg", "negative", "_csrf", csrf));

      assertThat(recorded.statusCode()).isEqualTo(200);
      assertThat(recorded.body()).contains("pregnancy test (hCG) negative");
      JsonNode found = json(new SandboxBrowser().get(sandbox.fhirBaseUrl()
          + "/Observation?patient=crps-suitable&code=http://loinc.org%7C2106-3&date=2026-06-12",
          sandbox.readToken("crps-suitable")).body());
      assertThat(found.path("entry").size()).as("one hCG test, the refused one not written").isEqualTo(1);
      JsonNode test = found.path("entry").get(0).path("resource");
      assertThat(test.path("valueCodeableConcept").path("coding").get(0).path("code").asText()).isEqualTo("260385009");
      assertThat(test.path("category").get(0).path("coding").get(0).path("code").asText()).isEqualTo("laboratory");
    } finally {
      sandbox.ehrClock().set(started);
    }
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  // --- the flow's steps ---

  /** Signs in when {@code response} leads to the sign-in page, and follows redirects within the sandbox. */
  private static HttpResponse<String> signIn(SandboxBrowser browser, HttpResponse<String> response) {
    response = browser.followWithin(sandbox.issuer(), response);
    if (response.uri().getPath().equals(SandboxPages.LOGIN_PATH)) {
      response = browser.followWithin(sandbox.issuer(), browser.postForm(sandbox.issuer() + SandboxPages.LOGIN_PATH,
          Map.of("username", List.of("dr.ada"), "password", List.of("sandbox"),
              "_csrf", List.of(SandboxBrowser.csrf(response.body())))));
    }
    return response;
  }

  /** The browser's part: authorize, sign in, pick a patient if asked, consent; returns the redirect to the app. */
  private static String authorizeToApp(
      SandboxBrowser browser, Authorization authorization, Set<String> untick, String patientToPick) {
    HttpResponse<String> response = signIn(browser, browser.get(authorization.authorizeUrl()));
    for (int step = 0; step < 4 && response.statusCode() == 200; step++) {
      String path = response.uri().getPath();
      String page = response.body();
      if (path.equals(SandboxPages.PATIENT_PICKER_PATH)) {
        assertThat(page).contains("value=\"" + patientToPick + "\"");
        response = browser.postForm(sandbox.issuer() + path,
            Map.of("patient", List.of(patientToPick), "_csrf", List.of(SandboxBrowser.csrf(page))));
      } else if (path.equals(SandboxPages.CONSENT_PATH)) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        SandboxBrowser.hiddenFields(page).forEach((name, value) -> form.put(name, List.of(value)));
        form.put("scope", SandboxBrowser.scopeCheckboxes(page).stream().filter(s -> !untick.contains(s)).toList());
        response = browser.postForm(sandbox.issuer() + "/oauth2/authorize", form);
      } else {
        throw new AssertionError("unexpected page " + path + ": " + page);
      }
      response = browser.followWithin(sandbox.issuer(), response);
    }
    assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(302);
    String location = SandboxBrowser.location(response);
    assertThat(location).startsWith(authorization.redirectUri());
    return location;
  }

  private static String authorize(
      SandboxBrowser browser, Authorization authorization, Set<String> untick, String patientToPick) {
    Map<String, String> redirect = SandboxBrowser.query(authorizeToApp(browser, authorization, untick, patientToPick));
    assertThat(redirect).containsEntry("state", authorization.state()).doesNotContainKey("error");
    return redirect.get("code");
  }

  private static TokenResponse exchange(Authorization authorization, String code) throws Exception {
    HttpResponse<String> response = new SandboxBrowser().postForm(sandbox.issuer() + "/oauth2/token",
        authorization.tokenForm(code), authorization.basicAuthorization());
    return new TokenResponse(response.statusCode(), JSON.readTree(response.body()));
  }

  private static JsonNode claims(String jwt) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private static String riskAssessmentFor(String patientId) {
    return "{\"resourceType\":\"RiskAssessment\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/"
        + patientId + "\"}}";
  }

  private record TokenResponse(int status, JsonNode json) {}

  /** One authorization request of an app, with its PKCE verifier and state. */
  private record Authorization(String clientId, String secret, String redirectUri, List<String> scopes,
      String launch, String aud, String verifier, String state) {

    static Authorization publicClient(SandboxEhr sandbox, List<String> scopes) {
      return new Authorization(SmartAuthorizationServerConfig.PUBLIC_CLIENT, null,
          APP + "/launch/callback", scopes, null, sandbox.fhirBaseUrl(), newVerifier(), UUID.randomUUID().toString());
    }

    static Authorization confidentialClient(SandboxEhr sandbox, List<String> scopes) {
      return new Authorization(SmartAuthorizationServerConfig.CONFIDENTIAL_CLIENT,
          SandboxOptions.DEFAULT_CONFIDENTIAL_SECRET, APP + "/launch/callback", scopes, null,
          sandbox.fhirBaseUrl(), newVerifier(), UUID.randomUUID().toString());
    }

    Authorization withLaunch(String code) {
      return new Authorization(clientId, secret, redirectUri, scopes, code, aud, verifier, state);
    }

    Authorization withAud(String audience) {
      return new Authorization(clientId, secret, redirectUri, scopes, launch, audience, verifier, state);
    }

    Authorization withVerifier(String newVerifier) {
      return new Authorization(clientId, secret, redirectUri, scopes, launch, aud, newVerifier, state);
    }

    static String newVerifier() {
      return UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    String authorizeUrl() {
      Map<String, List<String>> query = new LinkedHashMap<>();
      query.put("response_type", List.of("code"));
      query.put("client_id", List.of(clientId));
      query.put("redirect_uri", List.of(redirectUri));
      query.put("scope", List.of(String.join(" ", scopes)));
      query.put("state", List.of(state));
      query.put("nonce", List.of(UUID.randomUUID().toString()));
      query.put("aud", List.of(aud));
      query.put("code_challenge", List.of(challenge(verifier)));
      query.put("code_challenge_method", List.of("S256"));
      if (launch != null) {
        query.put("launch", List.of(launch));
      }
      return sandbox.issuer() + "/oauth2/authorize?" + SandboxBrowser.encode(query);
    }

    Map<String, List<String>> tokenForm(String code) {
      Map<String, List<String>> form = new LinkedHashMap<>();
      form.put("grant_type", List.of("authorization_code"));
      form.put("code", List.of(code));
      form.put("redirect_uri", List.of(redirectUri));
      form.put("code_verifier", List.of(verifier));
      if (secret == null) {
        form.put("client_id", List.of(clientId));
      }
      return form;
    }

    String basicAuthorization() {
      return secret == null ? null : SandboxBrowser.basic(clientId, secret);
    }

    private static String challenge(String verifier) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
