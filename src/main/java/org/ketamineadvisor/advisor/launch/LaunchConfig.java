package org.ketamineadvisor.advisor.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.AbstractOAuth2AuthorizationGrantRequest;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.web.client.RestClient;

/** Wires the SMART client: allow-list, discovery, authorization requests, token clients and refresh. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LaunchProperties.class, BrowserSecurityProperties.class})
class LaunchConfig {

  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  SmartDiscovery smartDiscovery(ObjectMapper json, LaunchProperties properties, Clock clock) {
    return new SmartDiscovery(json, properties.discovery(), clock);
  }

  @Bean
  AllowListedEhrs allowListedEhrs(LaunchProperties properties, SmartDiscovery discovery) {
    return new AllowListedEhrs(properties.ehrs(), discovery);
  }

  @Bean
  SmartAuthorizationRequests smartAuthorizationRequests(AllowListedEhrs ehrs) {
    return new SmartAuthorizationRequests(ehrs);
  }

  @Bean
  HttpSessionOAuth2AuthorizationRequestRepository pendingAuthorizationRequests() {
    return new HttpSessionOAuth2AuthorizationRequestRepository();
  }

  // Tokens live in the HTTP session, not in a per-user map: two launches by the same clinician (two patients,
  // two tabs or browsers) must never share or overwrite each other's patient-bound tokens.
  @Bean
  OAuth2AuthorizedClientRepository authorizedClients() {
    return new HttpSessionOAuth2AuthorizedClientRepository();
  }

  @Bean
  ClientKeys clientKeys(LaunchProperties properties, ResourceLoader resources) {
    return new ClientKeys(properties.ehrs(), resources);
  }

  @Bean
  LaunchContextUserService launchContextUserService(AllowListedEhrs ehrs) {
    return new LaunchContextUserService(ehrs);
  }

  @Bean
  RestClientAuthorizationCodeTokenResponseClient authorizationCodeTokenClient(ClientKeys keys) {
    RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
    client.setRestClient(tokenRestClient());
    client.addParametersConverter(clientAssertions(keys));
    return client;
  }

  @Bean
  RestClientRefreshTokenTokenResponseClient refreshTokenClient(ClientKeys keys) {
    RestClientRefreshTokenTokenResponseClient client = new RestClientRefreshTokenTokenResponseClient();
    client.setRestClient(tokenRestClient());
    client.addParametersConverter(clientAssertions(keys));
    return client;
  }

  @Bean
  OAuth2AuthorizedClientManager authorizedClientManager(AllowListedEhrs ehrs, OAuth2AuthorizedClientRepository clients,
      RestClientRefreshTokenTokenResponseClient refreshTokenClient, Clock clock) {
    DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(ehrs, clients);
    manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
        .authorizationCode()
        .refreshToken(refresh -> refresh.accessTokenResponseClient(refreshTokenClient).clock(clock))
        .build());
    return manager;
  }

  @Bean
  EhrAccess ehrAccess(OAuth2AuthorizedClientManager clients, Clock clock) {
    return new EhrAccess(clients, clock);
  }

  @Bean
  FilterRegistrationBean<CorrelationIds> correlationIds() {
    FilterRegistrationBean<CorrelationIds> registration = new FilterRegistrationBean<>(new CorrelationIds());
    // before Spring Security, so the callback's token exchange logs under the launch's id; after the shared session
    // store's filter (advisor.session.store=redis), which replaces the request's session: before it, the launch's id
    // was never found, so it was missing from the logs and from the launched session
    registration.setOrder(org.springframework.session.web.http.SessionRepositoryFilter.DEFAULT_ORDER + 1);
    return registration;
  }

  // SMART asks for RS384 or ES384 client assertions; Spring's default for RSA keys would be RS256
  private static <T extends AbstractOAuth2AuthorizationGrantRequest>
      NimbusJwtClientAuthenticationParametersConverter<T> clientAssertions(ClientKeys keys) {
    NimbusJwtClientAuthenticationParametersConverter<T> converter =
        new NimbusJwtClientAuthenticationParametersConverter<>(
            registration -> keys.signingKey(registration.getRegistrationId()));
    converter.setJwtClientAssertionCustomizer(context -> {
      JWK key = keys.signingKey(context.getAuthorizationGrantRequest().getClientRegistration().getRegistrationId());
      context.getHeaders().algorithm(
          "EC".equals(key.getKeyType().getValue()) ? SignatureAlgorithm.ES384 : SignatureAlgorithm.RS384);
    });
    return converter;
  }

  private static RestClient tokenRestClient() {
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
        HttpClient.newBuilder().connectTimeout(TOKEN_TIMEOUT).build());
    requests.setReadTimeout(TOKEN_TIMEOUT);
    return RestClient.builder()
        .requestFactory(requests)
        .messageConverters(converters -> {
          converters.clear();
          converters.add(new FormHttpMessageConverter());
          converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
        })
        .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
        .build();
  }
}
