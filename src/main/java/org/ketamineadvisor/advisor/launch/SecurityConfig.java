package org.ketamineadvisor.advisor.launch;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may see what: public launch, health and keys; the patient pages only within a launched session; the
 * management port (when configured) for monitoring.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain web(HttpSecurity http, BrowserSecurityProperties browser, SmartAuthorizationRequests requests,
      HttpSessionOAuth2AuthorizationRequestRepository pendingRequests, OAuth2AuthorizedClientRepository clients,
      RestClientAuthorizationCodeTokenResponseClient tokens, LaunchContextUserService users, AllowListedEhrs ehrs,
      Environment environment) throws Exception {
    LaunchHandlers handlers = new LaunchHandlers();
    return http
        .authorizeHttpRequests(authorize -> authorize
            // a separate management port (management.server.port) is for monitoring, never for browsers: keep it
            // off the internet (firewall, or management.server.address=127.0.0.1) and it needs no session
            .requestMatchers(onManagementPort(environment)).permitAll()
            .requestMatchers("/", "/launch", "/launch/failed", "/session-ended", "/error", "/css/**",
                "/.well-known/jwks.json", "/actuator/health", "/actuator/health/**").permitAll()
            .anyRequest().authenticated())
        .oauth2Login(login -> login
            .loginPage("/session-ended")
            .clientRegistrationRepository(ehrs)
            .authorizationEndpoint(endpoint -> endpoint
                .authorizationRequestResolver(requests)
                .authorizationRequestRepository(pendingRequests))
            .redirectionEndpoint(callback -> callback.baseUri("/launch/callback"))
            .tokenEndpoint(token -> token.accessTokenResponseClient(tokens))
            .userInfoEndpoint(info -> info.oidcUserService(users))
            .authorizedClientRepository(clients)
            .successHandler(handlers)
            .failureHandler(handlers))
        .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
          response.setStatus(401);
          request.getRequestDispatcher("/session-ended").forward(request, response);
        }).accessDeniedHandler(new StalePages()))
        .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
        .headers(headers -> headers
            // CSP frame-ancestors decides who may frame the app (EHR iframes); X-Frame-Options cannot list origins
            .frameOptions(frame -> frame.disable())
            .contentSecurityPolicy(csp -> csp.policyDirectives(browser.contentSecurityPolicy()))
            // the launch URL carries the EHR's launch code: keep it out of Referer headers
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
        .build();
  }

  /**
   * Requests that arrived on the management port, when it differs from the app's. Read per request: with
   * {@code management.server.port=0} the port is only known once the management server has started.
   */
  static RequestMatcher onManagementPort(Environment environment) {
    return request -> {
      Integer management = environment.getProperty("local.management.port", Integer.class);
      Integer app = environment.getProperty("local.server.port", Integer.class);
      return management != null && management > 0 && !management.equals(app) && request.getLocalPort() == management;
    };
  }
}
