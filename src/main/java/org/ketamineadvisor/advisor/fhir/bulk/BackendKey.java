package org.ketamineadvisor.advisor.fhir.bulk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The app's private key for SMART Backend Services: RSA (signs RS384) or EC P-384 (signs ES384), with the key id
 * ({@code kid}) under which its public half is registered with the EHR. Read from a private JWK, a JWK Set, or a
 * PKCS#8 PEM file (which carries no key id, so one must be given). {@link #toString()} never shows the key.
 */
public final class BackendKey {

  static final int MIN_RSA_BITS = 2048;

  private final PrivateKey privateKey;
  private final JWSAlgorithm algorithm;
  private final String keyId;

  private BackendKey(PrivateKey privateKey, JWSAlgorithm algorithm, String keyId) {
    this.privateKey = privateKey;
    this.algorithm = algorithm;
    this.keyId = keyId;
  }

  /**
   * Reads the key in {@code file}.
   *
   * @param keyId the registered key id: required for a PEM file; for a JWK Set it picks the key; null to use the JWK's
   * @throws BulkException naming the file and what is wrong with it, never showing the key
   */
  public static BackendKey load(Path file, String keyId) throws BulkException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new BulkException(file + ": the private key cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (text.startsWith("{")) {
      return fromJson(file, text, keyId);
    }
    if (text.startsWith("-----BEGIN PRIVATE KEY-----")) {
      return fromPem(file, text, keyId);
    }
    if (text.startsWith("-----BEGIN RSA PRIVATE KEY-----") || text.startsWith("-----BEGIN EC PRIVATE KEY-----")) {
      throw new BulkException(file + ": a PKCS#1/SEC1 key; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt "
          + "-in " + file.getFileName() + "' (-----BEGIN PRIVATE KEY-----), or give a private JWK");
    }
    if (text.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new BulkException(file + ": the PEM key is encrypted; give an unencrypted PKCS#8 key (keep the file "
          + "owner-only) or a private JWK");
    }
    throw new BulkException(file + ": not a private key: give a private JWK or JWK Set (JSON) or a PKCS#8 PEM file "
        + "(-----BEGIN PRIVATE KEY-----)");
  }

  /** A new key to register with an EHR: ES384 (EC P-384) or RS384 (RSA 2048), its kid the JWK thumbprint. */
  public static JWK generate(String algorithm) throws BulkException {
    try {
      return switch (algorithm.toUpperCase(Locale.ROOT)) {
        case "ES384" -> new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
            .keyIDFromThumbprint(true).generate();
        case "RS384" -> new RSAKeyGenerator(MIN_RSA_BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS384)
            .keyIDFromThumbprint(true).generate();
        default -> throw new BulkException("--alg " + algorithm + " is not supported: use ES384 or RS384");
      };
    } catch (JOSEException e) {
      throw new BulkException("the key could not be generated: " + e.getMessage(), e);
    }
  }

  /** The key id sent in the assertion's header. */
  public String keyId() {
    return keyId;
  }

  /** RS384 for an RSA key, ES384 for an EC P-384 key. */
  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  JWSSigner signer() throws JOSEException {
    return privateKey instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(privateKey);
  }

  @Override
  public String toString() {
    return "BackendKey[" + algorithm + ", kid=" + keyId + "]";
  }

  private static BackendKey fromJson(Path file, String text, String keyId) throws BulkException {
    JWK jwk;
    try {
      if (text.contains("\"keys\"")) {
        jwk = pick(file, JWKSet.parse(text).getKeys(), keyId);
      } else {
        jwk = JWK.parse(text);
      }
    } catch (ParseException e) {
      throw new BulkException(file + ": not a valid JWK or JWK Set (" + e.getMessage() + ")");
    }
    if (!jwk.isPrivate()) {
      throw new BulkException(file + ": the JWK is a public key; give the private key (the JWK with \"d\")");
    }
    String kid = jwk.getKeyID();
    if (kid == null || kid.isBlank()) {
      if (keyId == null) {
        throw new BulkException(file + ": the JWK has no \"kid\"; give --key-id, the key id registered with the EHR");
      }
      kid = keyId;
    } else if (keyId != null && !keyId.equals(kid)) {
      throw new BulkException(file + ": the JWK's kid is '" + kid + "' but --key-id says '" + keyId + "'");
    }
    try {
      if (jwk instanceof RSAKey rsa) {
        return rsa(file, rsa.toRSAPrivateKey(), kid);
      }
      if (jwk instanceof ECKey ec) {
        if (!Curve.P_384.equals(ec.getCurve())) {
          throw new BulkException(file + ": an EC key on " + ec.getCurve() + "; SMART Backend Services signs ES384, "
              + "which needs the P-384 curve");
        }
        return new BackendKey(ec.toECPrivateKey(), JWSAlgorithm.ES384, kid);
      }
    } catch (JOSEException e) {
      throw new BulkException(file + ": the private key cannot be used (" + e.getMessage() + ")");
    }
    throw new BulkException(file + ": a " + jwk.getKeyType() + " key; SMART Backend Services needs an RSA key (RS384) "
        + "or an EC P-384 key (ES384)");
  }

  private static JWK pick(Path file, List<JWK> keys, String keyId) throws BulkException {
    if (keyId != null) {
      return keys.stream().filter(k -> keyId.equals(k.getKeyID())).findFirst()
          .orElseThrow(() -> new BulkException(file + ": no key with kid '" + keyId + "' in the JWK Set"));
    }
    List<JWK> privateKeys = keys.stream().filter(JWK::isPrivate).toList();
    if (privateKeys.size() == 1) {
      return privateKeys.get(0);
    }
    if (privateKeys.isEmpty()) {
      throw new BulkException(file + ": the JWK Set holds no private key; give the private key (the JWK with \"d\")");
    }
    throw new BulkException(file + ": the JWK Set holds " + privateKeys.size() + " private keys; give --key-id to "
        + "pick one");
  }

  private static BackendKey fromPem(Path file, String text, String keyId) throws BulkException {
    if (keyId == null || keyId.isBlank()) {
      throw new BulkException(file + ": a PEM key carries no key id; give --key-id, the kid under which its public "
          + "key is registered with the EHR");
    }
    byte[] der;
    try {
      String base64 = text.replace("-----BEGIN PRIVATE KEY-----", "")
          .replaceAll("-----END PRIVATE KEY-----[\\s\\S]*", "").replaceAll("\\s", "");
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new BulkException(file + ": the PEM key is not valid base64");
    }
    for (String type : List.of("RSA", "EC")) {
      PrivateKey key;
      try {
        key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        continue;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      if (key instanceof RSAPrivateKey rsa) {
        return rsa(file, rsa, keyId);
      }
      if (key instanceof ECPrivateKey ec) {
        if (ec.getParams().getCurve().getField().getFieldSize() != 384) {
          throw new BulkException(file + ": an EC key of " + ec.getParams().getCurve().getField().getFieldSize()
              + " bits; SMART Backend Services signs ES384, which needs the P-384 curve");
        }
        return new BackendKey(ec, JWSAlgorithm.ES384, keyId);
      }
    }
    throw new BulkException(file + ": the PEM key is neither RSA nor EC (SMART Backend Services needs RSA for RS384 or "
        + "EC P-384 for ES384)");
  }

  private static BackendKey rsa(Path file, RSAPrivateKey key, String kid) throws BulkException {
    if (key.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new BulkException(file + ": an RSA key of " + key.getModulus().bitLength() + " bits; RS384 needs at least "
          + MIN_RSA_BITS);
    }
    return new BackendKey(key, JWSAlgorithm.RS384, kid);
  }
}
