package org.ketamineadvisor.advisor.sandbox;

import java.util.Map;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * SMART App Launch checks on the authorize request, after Spring Authorization Server's own (client, redirect URI,
 * scopes, PKCE): {@code aud} must name this FHIR server, and a {@code launch} code must be one the EHR handed out.
 * Errors go back to the (already validated) redirect URI as {@code invalid_request}.
 */
final class SmartLaunchValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

  static final String AUD = "aud";
  static final String LAUNCH = "launch";

  private final String fhirBase;
  private final LaunchContexts launches;

  SmartLaunchValidator(String fhirBase, LaunchContexts launches) {
    this.fhirBase = fhirBase;
    this.launches = launches;
  }

  @Override
  public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    Map<String, Object> parameters = request.getAdditionalParameters();
    Object aud = parameters.get(AUD);
    if (!(aud instanceof String audience) || !withoutTrailingSlash(audience).equals(fhirBase)) {
      throw error(request, "aud must be this EHR's FHIR base URL " + fhirBase + ", not " + aud
          + " (SMART App Launch: the app names the server it wants a token for)");
    }
    Object launch = parameters.get(LAUNCH);
    if (launch != null && launches.find(launch.toString()).isEmpty()) {
      throw error(request, "unknown or expired launch code; launch the app again from the EHR");
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationException error(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String description) {
    return new OAuth2AuthorizationCodeRequestAuthenticationException(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description, null), request);
  }
}
