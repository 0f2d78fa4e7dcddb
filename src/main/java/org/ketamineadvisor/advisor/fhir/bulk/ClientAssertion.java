package org.ketamineadvisor.advisor.fhir.bulk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The signed JWT that authenticates the app at the token endpoint ({@code private_key_jwt}, SMART Backend Services):
 * iss and sub the client id, aud the token endpoint, a unique jti, and an expiry under the 5 minutes the
 * specification allows (a little under, so a server clock slightly behind ours still accepts it).
 */
final class ClientAssertion {

  static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static final Duration LIFETIME = Duration.ofMinutes(4);

  private ClientAssertion() {}

  static String sign(BackendKey key, String clientId, URI tokenEndpoint, Instant now) throws BulkException {
    JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(JOSEObjectType.JWT).build();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(tokenEndpoint.toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new BulkException("the client assertion could not be signed with key '" + key.keyId() + "': "
          + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
