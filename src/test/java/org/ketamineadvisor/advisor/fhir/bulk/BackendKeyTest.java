package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private key in each form an EHR's onboarding hands out, and the clear refusals of keys that cannot sign. */
class BackendKeyTest {

  @TempDir
  Path dir;

  @Test
  void aPrivateEcJwkSignsEs384WithItsKid() throws Exception {
    JWK jwk = BackendKey.generate("ES384");
    BackendKey key = BackendKey.load(write("key.json", jwk.toJSONString()), null);
    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(key.keyId()).isEqualTo(jwk.getKeyID()).isNotBlank();
    assertThat(key.toString()).doesNotContain(jwk.toJSONObject().get("d").toString());
  }

  @Test
  void aPrivateRsaJwkSignsRs384() throws Exception {
    JWK jwk = BackendKey.generate("RS384");
    assertThat(BackendKey.load(write("key.json", jwk.toJSONString()), null).algorithm())
        .isEqualTo(JWSAlgorithm.RS384);
  }

  @Test
  void aJwkSetGivesItsPrivateKeyOrTheOneNamedByKeyId() throws Exception {
    JWK first = new ECKeyGenerator(Curve.P_384).keyID("first").generate();
    JWK second = new RSAKeyGenerator(2048).keyID("second").generate();
    Path onlyOne = write("one.json", new JWKSet(List.of(first, second.toPublicJWK())).toString(false));
    assertThat(BackendKey.load(onlyOne, null).keyId()).isEqualTo("first");
    Path both = write("both.json", new JWKSet(List.of(first, second)).toString(false));
    assertThat(BackendKey.load(both, "second").algorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThatThrownBy(() -> BackendKey.load(both, null)).hasMessageContaining("2 private keys; give --key-id");
    assertThatThrownBy(() -> BackendKey.load(both, "third")).hasMessageContaining("no key with kid 'third'");
  }

  @Test
  void aPkcs8PemNeedsTheKeyId() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    Path pem = write("key.pem", pem(ec.generateKeyPair().getPrivate()));
    assertThatThrownBy(() -> BackendKey.load(pem, null))
        .isInstanceOf(BulkException.class)
        .hasMessageContaining("key.pem: a PEM key carries no key id; give --key-id");
    BackendKey key = BackendKey.load(pem, "registered-1");
    assertThat(key.keyId()).isEqualTo("registered-1");
    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES384);

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertThat(BackendKey.load(write("rsa.pem", pem(rsa.generateKeyPair().getPrivate())), "k").algorithm())
        .isEqualTo(JWSAlgorithm.RS384);
  }

  @Test
  void keysThatCannotSignForBackendServicesAreRefusedSayingWhy() throws Exception {
    Path p256 = write("p256.json", new ECKeyGenerator(Curve.P_256).keyID("k").generate().toJSONString());
    assertThatThrownBy(() -> BackendKey.load(p256, null)).hasMessageContaining("needs the P-384 curve");
    Path secret = write("oct.json", new OctetSequenceKeyGenerator(256).keyID("k").generate().toJSONString());
    assertThatThrownBy(() -> BackendKey.load(secret, null)).hasMessageContaining("needs an RSA key (RS384) or an EC "
        + "P-384 key (ES384)");
    Path publicOnly = write("public.json", BackendKey.generate("ES384").toPublicJWK().toJSONString());
    assertThatThrownBy(() -> BackendKey.load(publicOnly, null)).hasMessageContaining("the JWK is a public key");
    Path small = write("small.json", new RSAKeyGenerator(1024, true).keyID("k").generate()
        .toJSONString());
    assertThatThrownBy(() -> BackendKey.load(small, null)).hasMessageContaining("1024 bits; RS384 needs at least 2048");
    KeyPairGenerator p256Pem = KeyPairGenerator.getInstance("EC");
    p256Pem.initialize(new ECGenParameterSpec("secp256r1"));
    Path pem = write("p256.pem", pem(p256Pem.generateKeyPair().getPrivate()));
    assertThatThrownBy(() -> BackendKey.load(pem, "k")).hasMessageContaining("needs the P-384 curve");
    Path pkcs1 = write("old.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> BackendKey.load(pkcs1, "k")).hasMessageContaining("openssl pkcs8 -topk8");
    Path text = write("notes.txt", "hello");
    assertThatThrownBy(() -> BackendKey.load(text, null)).hasMessageContaining("notes.txt: not a private key");
    assertThatThrownBy(() -> BackendKey.load(dir.resolve("absent.json"), null))
        .hasMessageContaining("absent.json: the private key cannot be read");
  }

  @Test
  void aJwkWithoutKidTakesKeyIdAndAConflictingKeyIdIsAnError() throws Exception {
    JWK noKid = new ECKeyGenerator(Curve.P_384).generate();
    Path file = write("nokid.json", noKid.toJSONString());
    assertThatThrownBy(() -> BackendKey.load(file, null)).hasMessageContaining("has no \"kid\"; give --key-id");
    assertThat(BackendKey.load(file, "given").keyId()).isEqualTo("given");
    JWK withKid = new ECKeyGenerator(Curve.P_384).keyID("mine").generate();
    Path other = write("kid.json", withKid.toJSONString());
    assertThatThrownBy(() -> BackendKey.load(other, "yours")).hasMessageContaining("kid is 'mine' but --key-id "
        + "says 'yours'");
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
