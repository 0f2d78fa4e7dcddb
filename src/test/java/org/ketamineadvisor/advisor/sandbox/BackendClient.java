package org.ketamineadvisor.advisor.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
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
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A SMART Backend Services client of a {@link SandboxEhr}, for tests and {@code spring-boot:test-run}: a fresh RSA
 * (RS384) and EC P-384 (ES384) key pair, the public keys registered with the sandbox as the client's JWK Set, the
 * private keys written to owner-only JWK files ({@code --private-key} of {@code screen}). It can also sign a client
 * assertion and fetch a token itself, for tests of the servers rather than of the app's client.
 */
public final class BackendClient {

  /** What a population screen reads: the types of the rules, as SMART v2 {@code system/} scopes. */
  public static final List<String> BULK_READ_SCOPES = List.of("system/Patient.rs", "system/Condition.rs",
      "system/Observation.rs", "system/MedicationRequest.rs", "system/MedicationStatement.rs",
      "system/AllergyIntolerance.rs", "system/Medication.rs");

  /** What {@code screen --write-group} writes: the Group, the MeasureReport and the Provenance naming the app. */
  public static final List<String> WRITE_GROUP_SCOPES = List.of("system/Group.cu", "system/MeasureReport.cu",
      "system/Provenance.c");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String clientId;
  private final RSAKey rsaKey;
  private final ECKey ecKey;
  private final Path rsaFile;
  private final Path ecFile;

  private BackendClient(String clientId, RSAKey rsaKey, ECKey ecKey, Path rsaFile, Path ecFile) {
    this.clientId = clientId;
    this.rsaKey = rsaKey;
    this.ecKey = ecKey;
    this.rsaFile = rsaFile;
    this.ecFile = ecFile;
  }

  /**
   * Registers a new client with {@code sandbox}: every {@code system/} scope the sandbox knows may be asked for, its
   * access tokens live {@code accessTokenTtl}; the private keys go to {@code keyDir} (created owner-only).
   */
  public static BackendClient register(SandboxEhr sandbox, Path keyDir, Duration accessTokenTtl) {
    return register(sandbox, keyDir, accessTokenTtl, SmartAuthorizationServerConfig.systemScopes());
  }

  /** As {@link #register(SandboxEhr, Path, Duration)}, allowed only {@code scopes}. */
  public static BackendClient register(SandboxEhr sandbox, Path keyDir, Duration accessTokenTtl,
      Collection<String> scopes) {
    return register(sandbox, "backend-" + UUID.randomUUID().toString().substring(0, 8), keyDir, accessTokenTtl, scopes);
  }

  /** As {@link #register(SandboxEhr, Path, Duration, Collection)}, with a client id of one's choosing. */
  public static BackendClient register(SandboxEhr sandbox, String clientId, Path keyDir, Duration accessTokenTtl,
      Collection<String> scopes) {
    try {
      RSAKey rsa = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS384)
          .keyID(clientId + "-rs384").generate();
      ECKey ec = new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
          .keyID(clientId + "-es384").generate();
      sandbox.registerBackendClient(clientId, new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())), scopes,
          accessTokenTtl);
      ownerOnlyDirectory(keyDir);
      Path rsaFile = writeOwnerOnly(keyDir.resolve(clientId + "-RS384.private.jwk.json"), rsa.toJSONString());
      Path ecFile = writeOwnerOnly(keyDir.resolve(clientId + "-ES384.private.jwk.json"), ec.toJSONString());
      return new BackendClient(clientId, rsa, ec, rsaFile, ecFile);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate the Backend Services client's keys", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the private keys to " + keyDir, e);
    }
  }

  public String clientId() {
    return clientId;
  }

  /** The owner-only file of the private JWK for {@code algorithm} (RS384 or ES384), with its {@code kid} and {@code alg}. */
  public Path privateKeyFile(JWSAlgorithm algorithm) {
    return pick(algorithm, rsaFile, ecFile);
  }

  /** The public keys as registered. */
  public JWKSet publicJwks() {
    return new JWKSet(List.<JWK>of(rsaKey.toPublicJWK(), ecKey.toPublicJWK()));
  }

  /** A client assertion for {@code tokenEndpoint}, signed with {@code algorithm}, valid five minutes, fresh jti. */
  public String clientAssertion(JWSAlgorithm algorithm, String tokenEndpoint) {
    return assertionClaimingToBe(clientId, algorithm, tokenEndpoint);
  }

  /** An assertion naming {@code claimedClientId} but signed with this client's key: a forgery, for tests. */
  String assertionClaimingToBe(String claimedClientId, JWSAlgorithm algorithm, String tokenEndpoint) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(claimedClientId).subject(claimedClientId)
        .audience(tokenEndpoint)
        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build();
    JWK key = pick(algorithm, rsaKey, ecKey);
    try {
      JWSSigner signer = algorithm.equals(JWSAlgorithm.RS384) ? new RSASSASigner(rsaKey) : new ECDSASigner(ecKey);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID())
          .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign the client assertion", e);
    }
  }

  /** The token endpoint's answer to a {@code client_credentials} request with {@code assertion}. */
  public static HttpResponse<String> requestToken(String tokenEndpoint, String assertion, String scope) {
    String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion;
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** An access token for {@code scopes}, signed with {@code algorithm}; fails the test when the server refuses. */
  public String accessToken(String tokenEndpoint, JWSAlgorithm algorithm, Collection<String> scopes) {
    HttpResponse<String> response = requestToken(tokenEndpoint, clientAssertion(algorithm, tokenEndpoint),
        String.join(" ", scopes));
    if (response.statusCode() != 200) {
      throw new AssertionError("the token endpoint refused " + clientId + ": " + response.statusCode() + " "
          + response.body());
    }
    JsonNode token = BulkExportCalls.parse(response.body());
    return token.path("access_token").asText();
  }

  private static <T> T pick(JWSAlgorithm algorithm, T rsa, T ec) {
    if (JWSAlgorithm.RS384.equals(algorithm)) {
      return rsa;
    }
    if (JWSAlgorithm.ES384.equals(algorithm)) {
      return ec;
    }
    throw new IllegalArgumentException("the sandbox's Backend Services clients sign RS384 or ES384, not " + algorithm);
  }

  private static void ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's default permissions stay
    }
  }

  private static Path writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, content);
    return file;
  }
}
