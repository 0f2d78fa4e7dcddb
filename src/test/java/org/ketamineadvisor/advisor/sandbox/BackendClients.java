package org.ketamineadvisor.advisor.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * SMART Backend Services clients of the sandbox: {@code client_credentials} with a {@code private_key_jwt} client
 * assertion signed RS384 or ES384, checked against the public JWK Set registered with the client (held here, so no
 * JWKS URL is needed; Spring Authorization Server's own decoder would fetch one from {@code jwkSetUrl} and accept
 * one algorithm only). The assertion must say {@code iss} = {@code sub} = the client id, be addressed ({@code aud})
 * to the token endpoint, carry {@code exp} (not past) and a {@code jti} not seen before (SMART Backend Services
 * § Authenticating).
 *
 * <p>The sandbox's other {@code private_key_jwt} client (the app's, with a JWKS URL) keeps Spring's decoder.
 */
final class BackendClients implements JwtDecoderFactory<RegisteredClient> {

  /** The algorithms SMART asks servers to support for client assertions. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

  /** How long a used {@code jti} is remembered: longer than SMART's five-minute assertion lifetime. */
  private static final Duration JTI_MEMORY = Duration.ofMinutes(10);

  private final SandboxSetup setup;
  private final JwtClientAssertionDecoderFactory springDecoders = new JwtClientAssertionDecoderFactory();
  private final Map<String, JWKSet> publicKeys = new ConcurrentHashMap<>();
  private final Map<String, Instant> usedJtis = new ConcurrentHashMap<>();
  private final List<String> tokenEndpoints = new CopyOnWriteArrayList<>();
  private volatile RegisteredClientRepository repository;

  BackendClients(SandboxSetup setup) {
    this.setup = setup;
    tokenEndpoints.add(tokenEndpoint(setup.issuer()));
  }

  static String tokenEndpoint(String origin) {
    return origin + "/oauth2/token";
  }

  /** The authorization server's client store, once it exists (its bean hands it over). */
  void attach(RegisteredClientRepository clients) {
    this.repository = clients;
  }

  /**
   * Registers a Backend Services client: its public keys, the {@code system/} scopes it may ask for and the lifetime
   * of its access tokens.
   */
  void register(String clientId, JWKSet publicJwks, Collection<String> scopes, Duration accessTokenTtl) {
    if (repository == null) {
      throw new IllegalStateException("the authorization server has not started yet");
    }
    if (publicJwks.getKeys().stream().anyMatch(key -> key.isPrivate())) {
      throw new IllegalArgumentException("register the public keys only; the private ones stay with the client");
    }
    publicKeys.put(clientId, publicJwks);
    repository.save(RegisteredClient.withId(UUID.nameUUIDFromBytes(clientId.getBytes()).toString())
        .clientId(clientId)
        .clientName("Backend Services client " + clientId)
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(granted -> granted.addAll(scopes))
        .clientSettings(ClientSettings.builder()
            .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
            .build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(accessTokenTtl).build())
        .build());
  }

  /** Client assertions addressed to the token endpoint at {@code origin} (a proxy in front of the sandbox) count too. */
  void acceptTokenEndpointAt(String origin) {
    String endpoint = tokenEndpoint(origin);
    if (!tokenEndpoints.contains(endpoint)) {
      tokenEndpoints.add(endpoint);
    }
  }

  @Override
  public JwtDecoder createDecoder(RegisteredClient client) {
    JWKSet keys = publicKeys.get(client.getClientId());
    if (keys == null) {
      return springDecoders.createDecoder(client);
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
    // the claims are checked by the validators below, with messages that say which one failed
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(validator(client.getClientId()));
    return decoder;
  }

  Optional<JWKSet> publicKeys(String clientId) {
    return Optional.ofNullable(publicKeys.get(clientId));
  }

  private OAuth2TokenValidator<Jwt> validator(String clientId) {
    JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
    expiry.setClock(setup.options().clock());
    List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
    checks.add(jwt -> jwt.getExpiresAt() != null ? ok() : fail("the client assertion has no exp"));
    checks.add(expiry);
    checks.add(jwt -> clientId.equals(jwt.getClaimAsString("iss")) && clientId.equals(jwt.getSubject()) ? ok()
        : fail("the client assertion's iss and sub must both be the client id " + clientId));
    checks.add(jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(tokenEndpoints::contains) ? ok()
        : fail("the client assertion's aud must be the token endpoint " + tokenEndpoints.get(0)));
    checks.add(this::firstUseOfJti);
    return new DelegatingOAuth2TokenValidator<>(checks);
  }

  private OAuth2TokenValidatorResult firstUseOfJti(Jwt jwt) {
    String jti = jwt.getId();
    if (jti == null || jti.isBlank()) {
      return fail("the client assertion has no jti");
    }
    Instant now = setup.options().clock().instant();
    usedJtis.values().removeIf(seen -> seen.isBefore(now.minus(JTI_MEMORY)));
    return usedJtis.putIfAbsent(jwt.getClaimAsString("iss") + "|" + jti, now) == null ? ok()
        : fail("the client assertion's jti was used before (a replayed assertion)");
  }

  private static OAuth2TokenValidatorResult ok() {
    return OAuth2TokenValidatorResult.success();
  }

  private static OAuth2TokenValidatorResult fail(String why) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_client", why, null));
  }
}
