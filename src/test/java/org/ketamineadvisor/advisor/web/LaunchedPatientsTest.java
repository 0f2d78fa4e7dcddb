package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.launch.EhrAccess;
import org.ketamineadvisor.advisor.launch.GrantedScopes;
import org.ketamineadvisor.advisor.launch.RelaunchNeededException;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/** The EHR is asked for the access token once per request, and the clinician's reference is read as a FHIR id. */
class LaunchedPatientsTest {

  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
  private static final SmartSession SESSION = new SmartSession("ehr", URI.create("https://ehr.example/fhir"), "p1",
      null, URI.create("https://ehr.example/fhir/Practitioner/dr-ada"), GrantedScopes.parse("patient/*.read"), false,
      null, "launch-1");
  private static final Authentication USER = new TestingAuthenticationToken("dr-ada", null);

  @Test
  void theReloaderAndTheHandlerOfOneRequestShareOneAnswerOfTheEhr() {
    AtomicInteger asked = new AtomicInteger();
    LaunchedPatients patients = new LaunchedPatients(new EhrAccess(request -> {
      asked.incrementAndGet();
      return new OAuth2AuthorizedClient(registration(), "user", new OAuth2AccessToken(
          OAuth2AccessToken.TokenType.BEARER, "token-" + asked.get(), NOW.minusSeconds(60), NOW.plusSeconds(600)));
    }, Clock.fixed(NOW, ZoneOffset.UTC)), null, null);
    MockHttpServletRequest request = new MockHttpServletRequest();
    MockHttpServletResponse response = new MockHttpServletResponse();

    assertThat(patients.token(SESSION, USER, request, response)).isEqualTo("token-1");
    assertThat(patients.token(SESSION, USER, request, response)).isEqualTo("token-1");
    assertThat(asked).hasValue(1);
    // the next request asks again (and so refreshes an expired token there)
    assertThat(patients.token(SESSION, USER, new MockHttpServletRequest(), response)).isEqualTo("token-2");
  }

  @Test
  void aRefusalHoldsForTheRestOfTheRequest() {
    AtomicInteger asked = new AtomicInteger();
    LaunchedPatients patients = new LaunchedPatients(new EhrAccess(request -> {
      asked.incrementAndGet();
      throw new IllegalStateException("invalid_grant");
    }, Clock.fixed(NOW, ZoneOffset.UTC)), null, null);
    MockHttpServletRequest request = new MockHttpServletRequest();
    MockHttpServletResponse response = new MockHttpServletResponse();

    assertThatThrownBy(() -> patients.token(SESSION, USER, request, response))
        .isInstanceOf(RelaunchNeededException.class);
    assertThatThrownBy(() -> patients.token(SESSION, USER, request, response))
        .isInstanceOf(RelaunchNeededException.class);
    assertThat(asked).hasValue(1);
  }

  @Test
  void theClinicianWithoutANameIsTheirReferenceWithoutTheServersAddress() {
    assertThat(LaunchedPatients.clinicianName(null, "https://ehr.example/fhir/Practitioner/dr-ada"))
        .isEqualTo("Practitioner/dr-ada");
    assertThat(LaunchedPatients.clinicianName(null, "Practitioner/12")).isEqualTo("Practitioner/12");
    assertThat(LaunchedPatients.clinicianName(null, "the signed-in clinician")).isEqualTo("the signed-in clinician");
  }

  private static ClientRegistration registration() {
    return ClientRegistration.withRegistrationId("ehr").clientId("app")
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri("https://app.example/cb")
        .authorizationUri("https://ehr.example/authorize").tokenUri("https://ehr.example/token").build();
  }
}
