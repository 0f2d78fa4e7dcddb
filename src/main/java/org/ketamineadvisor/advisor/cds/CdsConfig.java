package org.ketamineadvisor.advisor.cds;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.ketamineadvisor.advisor.launch.LaunchProperties;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The CDS Hooks service's collaborators (the JWT verifier, the record through the workspace, the cards' feedback) and
 * its endpoints' own security chain: no session, no cookie, no CSRF token (a CDS client is a server or a
 * browser-based EHR, not the clinician's page); every hook call is authenticated by the client's signed JWT in the
 * controller. CORS as CDS Hooks asks for browser-based clients: any origin, the Authorization and Content-Type
 * headers, GET and POST.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CdsProperties.class)
class CdsConfig {

  /** With the shared session store (several instances), replayed jti values are refused across instances. */
  @Bean
  CdsJwtVerifier cdsJwtVerifier(CdsProperties properties, Clock clock, ObjectProvider<StringRedisTemplate> redis) {
    return new CdsJwtVerifier(properties, clock, redis.getIfAvailable());
  }

  /** The hook's record through the workspace every door uses, read only from the client's own FHIR servers. */
  @Bean
  HookRecords hookRecords(PatientWorkspace workspace, CdsProperties properties, LaunchProperties launch) {
    return new HookRecords(workspace, new ReadableServers(properties, launch));
  }

  /** The cards this instance issued, for the feedback on them, and the counters. */
  @Bean
  CardFeedback cardFeedback(MeterRegistry meters) {
    return new CardFeedback(meters, new IssuedCards(IssuedCards.DEFAULT_CAPACITY));
  }

  @Bean
  @Order(1)
  SecurityFilterChain cdsHooks(HttpSecurity http) throws Exception {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOriginPatterns(List.of("*"));
    cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
    cors.setMaxAge(3600L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/cds-services/**", cors);
    source.registerCorsConfiguration("/cds-services", cors);
    return http.securityMatcher("/cds-services", "/cds-services/**")
        .cors(c -> c.configurationSource(source))
        .csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(c -> c.disable())
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .build();
  }
}
