package org.ketamineadvisor.advisor.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.sandbox.LaunchContexts.LaunchContext;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * SMART claims in the sandbox's JWTs: access tokens carry {@code patient}, {@code fhirUser} and the FHIR base as
 * audience (the FHIR server checks all three); id_tokens carry {@code fhirUser} when the {@code fhirUser} scope was
 * granted.
 */
final class SmartTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

  static final String PATIENT = "patient";
  static final String ENCOUNTER = "encounter";
  static final String FHIR_USER = "fhirUser";

  private final SandboxSetup setup;

  SmartTokenClaims(SandboxSetup setup) {
    this.setup = setup;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    Optional<DemoUser> user = DemoUser.named(context.getPrincipal().getName());
    if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      context.getClaims().audience(List.of(setup.fhirBase(), context.getRegisteredClient().getClientId()));
      // issued on the sandbox's clock, the one the FHIR server checks expiry with: a test that moves it forward gets
      // tokens that are fresh at the moved time, and sees the ones issued before it expire
      Instant issuedAt = setup.options().clock().instant();
      context.getClaims().issuedAt(issuedAt).notBefore(issuedAt)
          .expiresAt(issuedAt.plus(context.getRegisteredClient().getTokenSettings().getAccessTokenTimeToLive()));
      launchContext(context.getAuthorization(), setup.launches()).filter(l -> l.patient() != null).ifPresent(launch -> {
        context.getClaims().claim(PATIENT, launch.patient());
        if (launch.encounter() != null) {
          context.getClaims().claim(ENCOUNTER, launch.encounter());
        }
      });
      user.ifPresent(u -> context.getClaims().claim(FHIR_USER, u.fhirUser()));
    } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
        && context.getAuthorizedScopes().contains(FHIR_USER)) {
      user.ifPresent(u -> context.getClaims().claim(FHIR_USER, setup.fhirUserClaim(u)));
    }
  }

  /** The launch context an authorization was granted in, from the {@code launch} parameter of its authorize request. */
  static Optional<LaunchContext> launchContext(OAuth2Authorization authorization, LaunchContexts launches) {
    if (authorization == null) {
      return Optional.empty();
    }
    OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    if (request == null) {
      return Optional.empty();
    }
    Object code = request.getAdditionalParameters().get(SmartLaunchValidator.LAUNCH);
    return code == null ? Optional.empty() : launches.find(code.toString());
  }
}
