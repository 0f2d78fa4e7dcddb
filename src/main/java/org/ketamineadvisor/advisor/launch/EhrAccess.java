package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * A valid access token for the launched session, refreshed with the refresh token when it has expired. Callers
 * hand it straight to the FHIR client; it never reaches a page, a URL or a log.
 */
public class EhrAccess {

  private final OAuth2AuthorizedClientManager clients;
  private final Clock clock;

  public EhrAccess(OAuth2AuthorizedClientManager clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  /** The access token for {@code session}; throws {@link RelaunchNeededException} when only a new launch can help. */
  public String accessToken(SmartSession session, Authentication user, HttpServletRequest request,
      HttpServletResponse response) {
    OAuth2AuthorizedClient client;
    try {
      client = clients.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(session.registrationId())
          .principal(user)
          .attribute(HttpServletRequest.class.getName(), request)
          .attribute(HttpServletResponse.class.getName(), response)
          .build());
    } catch (RuntimeException e) {
      // a refused refresh (invalid_grant), an unreachable token endpoint, or no authorization at all
      throw new RelaunchNeededException("The EHR no longer accepts this session (" + e.getClass().getSimpleName()
          + "). Launch the app again from the EHR.", e);
    }
    OAuth2AccessToken token = client == null ? null : client.getAccessToken();
    if (token == null || (token.getExpiresAt() != null && !token.getExpiresAt().isAfter(clock.instant()))) {
      throw new RelaunchNeededException("The EHR session has expired and the EHR gave no refresh token. "
          + "Launch the app again from the EHR.", null);
    }
    return token.getTokenValue();
  }
}
