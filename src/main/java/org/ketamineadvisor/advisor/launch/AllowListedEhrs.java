package org.ketamineadvisor.advisor.launch;

import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The issuer allow-list as Spring Security's client registrations: each EHR's registration is built from its
 * configuration plus its discovered SMART configuration, so endpoints are never configured by hand.
 */
public class AllowListedEhrs implements ClientRegistrationRepository {

  private final List<EhrRegistration> ehrs;
  private final SmartDiscovery discovery;

  public AllowListedEhrs(List<EhrRegistration> ehrs, SmartDiscovery discovery) {
    this.ehrs = List.copyOf(ehrs);
    this.discovery = discovery;
  }

  /** The allow-listed EHR whose FHIR base URL is {@code iss}, if any. */
  public Optional<EhrRegistration> forIssuer(String iss) {
    return ehrs.stream().filter(ehr -> ehr.matches(iss)).findFirst();
  }

  public Optional<EhrRegistration> byId(String registrationId) {
    return ehrs.stream().filter(ehr -> ehr.registrationId().equals(registrationId)).findFirst();
  }

  public List<EhrRegistration> all() {
    return ehrs;
  }

  /** The SMART configuration of an allow-listed EHR; throws {@link DiscoveryFailedException}. */
  public SmartConfiguration configurationOf(EhrRegistration ehr) {
    return discovery.discover(ehr.issuer());
  }

  /** Null for an unknown id (the contract); throws {@link DiscoveryFailedException} when the EHR cannot be discovered. */
  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    return byId(registrationId).map(this::toClientRegistration).orElse(null);
  }

  private ClientRegistration toClientRegistration(EhrRegistration ehr) {
    SmartConfiguration smart = configurationOf(ehr);
    return ClientRegistration.withRegistrationId(ehr.registrationId())
        .clientName(ehr.name())
        .clientId(ehr.clientId())
        .clientSecret(ehr.clientSecret())
        .clientAuthenticationMethod(ehr.clientAuthentication().method())
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(ehr.redirectUri())
        // the EHR-launch spelling; SmartAuthorizationRequests adapts it for standalone launches
        .scope(SmartScopes.toRequest(ehr.scopes(), smart, false))
        .authorizationUri(smart.authorizationEndpoint().toString())
        .tokenUri(smart.tokenEndpoint().toString())
        .jwkSetUri(smart.jwksUri() == null ? null : smart.jwksUri().toString())
        .issuerUri(smart.issuer() == null ? null : smart.issuer().toString())
        .userNameAttributeName("sub")
        .build();
  }
}
