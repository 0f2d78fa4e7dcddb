package org.ketamineadvisor.advisor.launch;

import java.net.URI;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns the token response into the launch context: Spring's converter keeps SMART's extra token-response
 * parameters ({@code patient}, {@code encounter}, {@code need_patient_banner}, {@code smart_style_url}) as
 * additional parameters, which reach the user service with the validated id_token. A token response without
 * {@code patient} (SMART App Launch 2.x: a launch from the schedule, or a standalone launch with {@code user/} scopes)
 * starts a session for the clinic's list.
 */
public class LaunchContextUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

  private final AllowListedEhrs ehrs;
  private final OidcUserService oidc = new OidcUserService();

  public LaunchContextUserService(AllowListedEhrs ehrs) {
    this.ehrs = ehrs;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcUser user = oidc.loadUser(request);
    EhrRegistration ehr = ehrs.byId(request.getClientRegistration().getRegistrationId()).orElseThrow();
    Map<String, Object> context = request.getAdditionalParameters();
    String patient = text(context.get("patient"));
    URI fhirUser = fhirUser(request.getIdToken(), ehr.issuer());
    GrantedScopes granted = new GrantedScopes(request.getAccessToken().getScopes());
    URI style = url(text(context.get("smart_style_url")));
    // no patient in context: a launch from the clinic's schedule, or a standalone launch for the clinic's list
    SmartSession session = patient == null
        ? SmartSession.forClinic(ehr.registrationId(), ehr.issuer(), fhirUser, granted, style,
            MDC.get(CorrelationIds.MDC_KEY))
        : new SmartSession(
            ehr.registrationId(),
            ehr.issuer(),
            patient,
            text(context.get("encounter")),
            fhirUser,
            granted,
            flag(context.get("need_patient_banner")),
            style,
            MDC.get(CorrelationIds.MDC_KEY));
    return new LaunchedUser(user.getAuthorities(), request.getIdToken(), session);
  }

  /**
   * {@code fhirUser} (or SMART v1's {@code profile}) of the id_token as a FHIR reference: relative to {@code iss}
   * ({@code Practitioner/12}) when the EHR gave it relative or as a URL on {@code iss}, else the absolute URL. The
   * app writes it as the author of what it signs, so it must resolve in the EHR's own chart: the absolute URL of a
   * relative {@code fhirUser} names the FHIR base as the app reached it (the SMART launcher's proxy, an API
   * gateway), which the EHR's server stores as an external reference to itself it cannot resolve.
   */
  static URI fhirUser(OidcIdToken idToken, URI issuer) {
    String claim = idToken.getClaimAsString("fhirUser");
    if (claim == null) {
      claim = idToken.getClaimAsString("profile");
    }
    if (claim == null || claim.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(claim.trim());
      if (!uri.isAbsolute()) {
        return URI.create(claim.trim().replaceFirst("^/+", ""));
      }
      String base = issuer.toString().replaceFirst("/+$", "") + "/";
      return uri.toString().startsWith(base) && uri.toString().length() > base.length()
          ? URI.create(uri.toString().substring(base.length())) : uri;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String text(Object value) {
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  private static boolean flag(Object value) {
    return value instanceof Boolean b ? b : "true".equalsIgnoreCase(text(value));
  }

  private static URI url(String value) {
    try {
      return value == null ? null : URI.create(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
