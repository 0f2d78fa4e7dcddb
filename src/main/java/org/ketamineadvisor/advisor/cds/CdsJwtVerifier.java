package org.ketamineadvisor.advisor.cds;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the JWT a CDS client sends with every hook call (CDS Hooks 2.0 § Trusting CDS Clients): signed RS384 or
 * ES384 by a key of an allow-listed issuer's JWK set; {@code aud} exactly the service's URL; {@code iss}, {@code exp},
 * {@code iat} and {@code jti} present; a {@code jti} seen before (until its expiry) is a replay. Every refusal says
 * why in words, without echoing the token.
 */
final class CdsJwtVerifier {

  /** Why a request was refused (HTTP 401). */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new ConcurrentHashMap<>();
  private final Map<String, CdsProperties.Client> clients;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private final Clock clock;
  /** With several instances, the shared store remembers the jti values (null: this instance's memory). */
  private final org.springframework.data.redis.core.StringRedisTemplate shared;

  CdsJwtVerifier(CdsProperties properties, Clock clock) {
    this(properties, clock, null);
  }

  CdsJwtVerifier(CdsProperties properties, Clock clock, org.springframework.data.redis.core.StringRedisTemplate shared) {
    this.clients = new ConcurrentHashMap<>();
    properties.clients().forEach(c -> clients.put(c.issuer(), c));
    this.clock = clock;
    this.shared = shared;
  }

  /** The verified claims of the {@code Authorization: Bearer} JWT for the service at {@code audience}. */
  JWTClaimsSet verify(String authorization, String audience) throws Refused {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refused("no CDS client JWT: send 'Authorization: Bearer <signed JWT>'");
    }
    String token = authorization.substring(7).strip();
    String issuer;
    try {
      issuer = SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw new Refused("the bearer token is not a signed JWT");
    }
    CdsProperties.Client client = issuer == null ? null : clients.get(issuer);
    if (client == null) {
      throw new Refused("the JWT's issuer is not an allow-listed CDS client (advisor.cds.clients)");
    }
    JWTClaimsSet claims;
    try {
      claims = processor(client, audience).process(token, null);
    } catch (com.nimbusds.jose.proc.BadJOSEException e) {
      throw new Refused("the JWT was refused: " + e.getMessage());
    } catch (com.nimbusds.jose.JOSEException | ParseException e) {
      throw new Refused("the JWT could not be checked: " + e.getMessage());
    }
    Instant now = clock.instant();
    String key = issuer + "|" + claims.getJWTID();
    Instant expiry = claims.getExpirationTime().toInstant();
    boolean fresh;
    if (shared != null) {
      java.time.Duration keep = java.time.Duration.between(now, expiry).plusMinutes(1);
      fresh = Boolean.TRUE.equals(shared.opsForValue().setIfAbsent("ketamine-advisor:cds-jti:" + key, "1",
          keep.isNegative() ? java.time.Duration.ofMinutes(1) : keep));
    } else {
      seen.values().removeIf(e -> e.isBefore(now));
      fresh = seen.putIfAbsent(key, expiry) == null;
    }
    if (!fresh) {
      throw new Refused("the JWT's jti was used before: a replayed request");
    }
    return claims;
  }

  private DefaultJWTProcessor<SecurityContext> processor(CdsProperties.Client client, String audience) {
    return processors.computeIfAbsent(client.issuer() + "|" + audience, key -> {
      JWKSource<SecurityContext> keys;
      try {
        keys = JWKSourceBuilder.create(client.jwkSetUri().toURL()).retrying(true).build();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("advisor.cds.clients jwk-set-uri is not a URL: " + client.jwkSetUri(), e);
      }
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384),
          keys));
      processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
          new JWTClaimsSet.Builder().issuer(client.issuer()).build(),
          new HashSet<>(Set.of("iss", "aud", "exp", "iat", "jti"))));
      return processor;
    });
  }
}
