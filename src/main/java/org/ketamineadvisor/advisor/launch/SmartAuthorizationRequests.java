package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * SMART authorization requests: Spring's code flow with state and nonce, plus PKCE S256 for every client (SMART
 * 2.x requires it even for confidential ones), {@code aud} = the FHIR base URL, and {@code launch} when the EHR
 * sent one (otherwise a standalone launch asking for {@code launch/patient}, or, for the clinic's list, for no
 * patient at all).
 */
public class SmartAuthorizationRequests implements OAuth2AuthorizationRequestResolver {

  /** Request attribute carrying the EHR's opaque {@code launch} value from {@code /launch} to the resolver. */
  static final String LAUNCH_ATTRIBUTE = SmartAuthorizationRequests.class.getName() + ".launch";
  /** Request attribute marking a standalone launch for the clinic's list ({@code /launch?iss=…&clinic}). */
  static final String CLINIC_ATTRIBUTE = SmartAuthorizationRequests.class.getName() + ".clinic";

  private final AllowListedEhrs ehrs;
  private final DefaultOAuth2AuthorizationRequestResolver delegate;

  public SmartAuthorizationRequests(AllowListedEhrs ehrs) {
    this.ehrs = ehrs;
    this.delegate = new DefaultOAuth2AuthorizationRequestResolver(ehrs, "/oauth2/authorization");
    this.delegate.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
  }

  @Override
  public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
    OAuth2AuthorizationRequest base = delegate.resolve(request);
    return base == null ? null : smart(base, request);
  }

  @Override
  public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
    OAuth2AuthorizationRequest base = delegate.resolve(request, registrationId);
    return base == null ? null : smart(base, request);
  }

  private OAuth2AuthorizationRequest smart(OAuth2AuthorizationRequest base, HttpServletRequest request) {
    String registrationId = base.getAttribute("registration_id");
    EhrRegistration ehr = ehrs.byId(registrationId).orElseThrow();
    String launch = (String) request.getAttribute(LAUNCH_ATTRIBUTE);
    boolean standalone = launch == null;
    // from() leaves the authorization URI unset, so build() writes it again with the added parameters
    return OAuth2AuthorizationRequest.from(base)
        .scopes(standalone && request.getAttribute(CLINIC_ATTRIBUTE) != null
            ? SmartScopes.toRequestForClinic(ehr.scopes(), ehrs.configurationOf(ehr))
            : SmartScopes.toRequest(ehr.scopes(), ehrs.configurationOf(ehr), standalone))
        .additionalParameters(parameters -> {
          parameters.put("aud", ehr.issuer().toString());
          if (!standalone) {
            parameters.put("launch", launch);
          }
        })
        .build();
  }
}
