package org.ketamineadvisor.advisor.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The sandbox EHR's SMART authorization server (Spring Authorization Server) and the security of its pages.
 *
 * <p>Deliberately not {@code @Configuration} (see the package docs): {@link SandboxEhr} registers it in a web
 * context of its own, together with a {@link SandboxSetup} singleton.
 */
@EnableWebSecurity
class SmartAuthorizationServerConfig {

  /** Types the app reads or writes; each is registered with the v2 and v1 scopes a client may ask for. */
  static final List<String> RESOURCE_TYPES = List.of("Patient", "Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance", "RiskAssessment", "CarePlan", "Provenance", "Medication",
      "Encounter", "Practitioner", "Goal", "MedicationAdministration");

  private static final List<String> PERMISSIONS = List.of("r", "s", "rs", "c", "u", "cu", "cr", "crs", "cru", "crus", "cruds",
      "read", "write", "*");

  static final List<String> CONTEXT_SCOPES = List.of("openid", "fhirUser", "profile", "launch", "launch/patient",
      "offline_access", "online_access");

  static final String PUBLIC_CLIENT = "ketamine-advisor";
  static final String CONFIDENTIAL_CLIENT = "ketamine-advisor-confidential";
  static final String JWT_CLIENT = "ketamine-advisor-jwt";

  /**
   * Types a Backend Services client ({@code system/} scopes) may be granted: what the app reads, and the Group and
   * MeasureReport {@code screen --write-group} writes.
   */
  static final List<String> SYSTEM_TYPES = java.util.stream.Stream.concat(RESOURCE_TYPES.stream(),
      java.util.stream.Stream.of("Group", "MeasureReport", "Binary", "*")).toList();

  /** FHIR requests carry bearer tokens that {@link BearerTokenFilter} checks; no session, no CSRF, no login redirect. */
  @Bean
  @Order(1)
  SecurityFilterChain fhirEndpoint(HttpSecurity http) throws Exception {
    http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(SandboxPages.FHIR_PATH + "/**"))
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain authorizationServer(HttpSecurity http, SandboxSetup setup,
      OAuth2AuthorizationService authorizations, BackendClients backendClients) throws Exception {
    OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
    Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator =
        new OAuth2AuthorizationCodeRequestAuthenticationValidator()
            .andThen(new SmartLaunchValidator(setup.fhirBase(), setup.launches()));
    OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
        new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    tokenResponse.setAccessTokenResponseCustomizer(new SmartTokenResponseParameters(setup, authorizations));
    http.securityMatcher(server.getEndpointsMatcher())
        .with(server, authorizationServer -> authorizationServer
            .authorizationEndpoint(endpoint -> endpoint
                .consentPage(SandboxPages.CONSENT_PATH)
                .authenticationProviders(providers -> providers.stream()
                    .filter(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::isInstance)
                    .map(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::cast)
                    .forEach(provider -> provider.setAuthenticationValidator(validator))))
            .tokenEndpoint(endpoint -> endpoint.accessTokenResponseHandler(tokenResponse))
            // Backend Services clients' assertions: RS384 or ES384, checked against the JWKS registered with them
            .clientAuthentication(clientAuthentication -> clientAuthentication
                .authenticationConverters(converters -> converters.add(0, new ClientIdFromAssertion()))
                .authenticationProviders(providers -> providers.stream()
                    .filter(JwtClientAssertionAuthenticationProvider.class::isInstance)
                    .map(JwtClientAssertionAuthenticationProvider.class::cast)
                    .forEach(provider -> provider.setJwtDecoderFactory(backendClients))))
            .oidc(Customizer.withDefaults()))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        // before the authorization endpoint filter, which Spring Authorization Server puts at the same place later
        .addFilterBefore(new PatientPicker.Redirect(), AbstractPreAuthenticatedProcessingFilter.class)
        .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
            new LoginUrlAuthenticationEntryPoint(SandboxPages.LOGIN_PATH), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
        .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
        .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
    return http.build();
  }

  /** Sign-in, consent, patient picker and the EHR simulator. */
  @Bean
  @Order(3)
  SecurityFilterChain pages(HttpSecurity http) throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(paths.matcher(SandboxPages.LOGIN_PATH), paths.matcher(SandboxPages.SMART_STYLE_PATH),
                paths.matcher("/error"))
            .permitAll()
            .anyRequest().authenticated())
        .formLogin(login -> login.loginPage(SandboxPages.LOGIN_PATH).defaultSuccessUrl(SandboxPages.EHR_PATH))
        // the sign-in and consent pages show inside the EHR's iframe, which is on this origin
        .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
    return http.build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(DemoUser.ALL.stream()
        .map(user -> User.withUsername(user.username()).password("{noop}" + user.password()).roles("PRACTITIONER").build())
        .toList());
  }

  @Bean
  RegisteredClientRepository clients(SandboxSetup setup, BackendClients backendClients) {
    TokenSettings tokens = TokenSettings.builder()
        .accessTokenTimeToLive(setup.options().accessTokenTtl())
        .refreshTokenTimeToLive(Duration.ofHours(8))
        .reuseRefreshTokens(false)
        .build();
    RegisteredClient publicClient = client(PUBLIC_CLIENT, setup.redirectUri(), tokens)
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
        .build();
    RegisteredClient confidential = client(CONFIDENTIAL_CLIENT, setup.redirectUri(), tokens)
        .clientSecret("{noop}" + setup.options().confidentialClientSecret())
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .clientSettings(ClientSettings.builder().requireAuthorizationConsent(true).build())
        .build();
    RegisteredClient jwt = client(JWT_CLIENT, setup.redirectUri(), tokens)
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .clientSettings(ClientSettings.builder()
            .requireAuthorizationConsent(true)
            .jwkSetUrl(setup.options().appBase() + "/.well-known/jwks.json")
            // SMART App Launch asks servers to support RS384 and ES384 for client assertions
            .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
            .build())
        .build();
    InMemoryRegisteredClientRepository clients = new InMemoryRegisteredClientRepository(publicClient, confidential, jwt);
    // Backend Services clients are registered while the sandbox runs (each test its own key pair)
    backendClients.attach(clients);
    return clients;
  }

  private static RegisteredClient.Builder client(String clientId, String redirectUri, TokenSettings tokens) {
    return RegisteredClient.withId(UUID.nameUUIDFromBytes(clientId.getBytes()).toString())
        .clientId(clientId)
        .clientName("Ketamine Infusion Advisor (" + clientId + ")")
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(redirectUri)
        .scopes(scopes -> scopes.addAll(allScopes()))
        .tokenSettings(tokens);
  }

  static List<String> allScopes() {
    List<String> scopes = new ArrayList<>(CONTEXT_SCOPES);
    for (String type : RESOURCE_TYPES) {
      PERMISSIONS.forEach(permission -> scopes.add("patient/" + type + "." + permission));
    }
    PERMISSIONS.forEach(permission -> scopes.add("patient/*." + permission));
    // user/ scopes read across patients (the clinic's list); the FHIR server ties writes to the token's patient
    for (String type : RESOURCE_TYPES) {
      PERMISSIONS.forEach(permission -> scopes.add("user/" + type + "." + permission));
    }
    return scopes;
  }

  /** The {@code system/} scopes a Backend Services client may be registered with (SMART v2 and v1 forms). */
  static List<String> systemScopes() {
    List<String> scopes = new ArrayList<>();
    for (String type : SYSTEM_TYPES) {
      PERMISSIONS.forEach(permission -> scopes.add("system/" + type + "." + permission));
    }
    return scopes;
  }

  /**
   * Spring's in-memory store, one call at a time: its map of authorizations in progress is a plain LinkedHashMap,
   * and concurrent launches (the load benchmark) failed a consent with a ConcurrentModificationException.
   */
  @Bean
  OAuth2AuthorizationService authorizations() {
    InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
    return new OAuth2AuthorizationService() {
      @Override
      public synchronized void save(org.springframework.security.oauth2.server.authorization.OAuth2Authorization a) {
        store.save(a);
      }

      @Override
      public synchronized void remove(org.springframework.security.oauth2.server.authorization.OAuth2Authorization a) {
        store.remove(a);
      }

      @Override
      public synchronized org.springframework.security.oauth2.server.authorization.OAuth2Authorization findById(
          String id) {
        return store.findById(id);
      }

      @Override
      public synchronized org.springframework.security.oauth2.server.authorization.OAuth2Authorization findByToken(
          String token, org.springframework.security.oauth2.server.authorization.OAuth2TokenType type) {
        return store.findByToken(token, type);
      }
    };
  }

  /** Remembers no consent, so the consent page (where scopes can be unticked) shows on every launch. */
  @Bean
  OAuth2AuthorizationConsentService consents() {
    return new OAuth2AuthorizationConsentService() {
      @Override
      public void save(OAuth2AuthorizationConsent consent) {}

      @Override
      public void remove(OAuth2AuthorizationConsent consent) {}

      @Override
      public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return null;
      }
    };
  }

  @Bean
  JWKSource<SecurityContext> jwkSource(SandboxSetup setup) {
    return new ImmutableJWKSet<>(new JWKSet(setup.signingKey()));
  }

  @Bean
  JwtDecoder jwtDecoder(SandboxSetup setup) throws JOSEException {
    return NimbusJwtDecoder.withPublicKey(setup.signingKey().toRSAPublicKey()).build();
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(SandboxSetup setup) {
    return AuthorizationServerSettings.builder().issuer(setup.issuer()).build();
  }

  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> smartClaims(SandboxSetup setup) {
    return new SmartTokenClaims(setup);
  }
}
