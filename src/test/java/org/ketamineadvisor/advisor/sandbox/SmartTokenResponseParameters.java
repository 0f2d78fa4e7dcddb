package org.ketamineadvisor.advisor.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;

/**
 * Adds the SMART launch context to the token response: {@code patient}, {@code encounter} (only when set),
 * {@code need_patient_banner} and {@code smart_style_url}. A token customizer cannot do this, as it only shapes
 * the JWT; the token endpoint's response handler can.
 */
final class SmartTokenResponseParameters implements Consumer<OAuth2AccessTokenAuthenticationContext> {

  private final SandboxSetup setup;
  private final OAuth2AuthorizationService authorizations;

  SmartTokenResponseParameters(SandboxSetup setup, OAuth2AuthorizationService authorizations) {
    this.setup = setup;
    this.authorizations = authorizations;
  }

  @Override
  public void accept(OAuth2AccessTokenAuthenticationContext context) {
    OAuth2AccessTokenAuthenticationToken token = context.getAuthentication();
    OAuth2Authorization authorization =
        authorizations.findByToken(token.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
    Map<String, Object> parameters = new HashMap<>(token.getAdditionalParameters());
    // a provider-level launch (the clinic's schedule) has no patient: the response carries none
    SmartTokenClaims.launchContext(authorization, setup.launches()).filter(l -> l.patient() != null).ifPresent(launch -> {
      parameters.put(SmartTokenClaims.PATIENT, launch.patient());
      if (launch.encounter() != null) {
        parameters.put(SmartTokenClaims.ENCOUNTER, launch.encounter());
      }
      parameters.put("need_patient_banner", launch.needPatientBanner());
    });
    parameters.put("smart_style_url", setup.issuer() + SandboxPages.SMART_STYLE_PATH);
    context.getAccessTokenResponse().additionalParameters(parameters);
  }
}
