package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client assertion as a Backend Services token endpoint checks it, verified with the registered public key. */
class ClientAssertionTest {

  private static final URI TOKEN_ENDPOINT = URI.create("https://ehr.example.org/oauth2/token");
  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void es384AssertionCarriesTheClaimsAndVerifiesWithThePublicKey() throws Exception {
    JWK jwk = BackendKey.generate("ES384");
    SignedJWT jwt = SignedJWT.parse(ClientAssertion.sign(load(jwk), "screening-app", TOKEN_ENDPOINT, NOW));

    assertThat(jwt.verify(new ECDSAVerifier(jwk.toECKey().toPublicJWK()))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(jwk.getKeyID());
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("screening-app");
    assertThat(claims.getSubject()).isEqualTo("screening-app");
    assertThat(claims.getAudience()).containsExactly(TOKEN_ENDPOINT.toString());
    assertThat(claims.getExpirationTime().toInstant()).isAfter(NOW)
        .isBeforeOrEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(claims.getJWTID()).isNotBlank();
  }

  @Test
  void rs384AssertionVerifiesAndEachHasItsOwnJti() throws Exception {
    JWK jwk = BackendKey.generate("RS384");
    BackendKey key = load(jwk);
    SignedJWT first = SignedJWT.parse(ClientAssertion.sign(key, "app", TOKEN_ENDPOINT, NOW));
    SignedJWT second = SignedJWT.parse(ClientAssertion.sign(key, "app", TOKEN_ENDPOINT, NOW));
    assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(first.verify(new RSASSAVerifier(jwk.toRSAKey().toPublicJWK()))).isTrue();
    assertThat(first.getJWTClaimsSet().getJWTID()).isNotEqualTo(second.getJWTClaimsSet().getJWTID());
  }

  private BackendKey load(JWK jwk) throws Exception {
    return BackendKey.load(Files.writeString(dir.resolve("key.json"), jwk.toJSONString()), null);
  }
}
