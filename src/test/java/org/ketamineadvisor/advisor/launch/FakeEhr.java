package org.ketamineadvisor.advisor.launch;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMART EHR for tests until the sandbox's real authorization server is merged: discovery documents, a
 * token endpoint that records what the app sent, signed id_tokens, a JWKS and a Patient read. Codes are issued by
 * the test ({@link #issueCode}) as the authorization endpoint would after the user's consent.
 */
final class FakeEhr implements AutoCloseable {

  /** A code the authorization endpoint handed out, with what the token response will say. */
  record Grant(String nonce, String patient, String scope, boolean needPatientBanner, String fhirUser,
      Integer expiresIn, boolean withRefreshToken) {}

  private final HttpServer server;
  private final RSAKey signingKey;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
  final List<String> fhirAuthorizations = new CopyOnWriteArrayList<>();
  volatile String refreshTokenAnswer = "ok";

  FakeEhr() {
    try {
      signingKey = new RSAKeyGenerator(2048).keyID("ehr-key").generate();
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String base() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** A FHIR base URL on this server whose discovery says what {@code smartConfiguration} returns. */
  String fhir(String name) {
    return base() + "/" + name;
  }

  void issueCode(String code, Grant grant) {
    codes.put(code, grant);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try {
      if (path.endsWith("/.well-known/smart-configuration")) {
        String fhir = path.substring(1, path.indexOf("/.well-known"));
        switch (fhir) {
          case "broken" -> send(exchange, 404, "not here");
          case "garbled" -> send(exchange, 200, "{\"authorization_endpoint\": 42");
          case "v1" -> send(exchange, 200, discovery("\"permission-v1\""));
          default -> send(exchange, 200, discovery("\"permission-v2\", \"launch-ehr\", \"launch-standalone\""));
        }
      } else if (path.equals("/jwks")) {
        send(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toString());
      } else if (path.equals("/token")) {
        token(exchange);
      } else if (path.contains("/Patient/")) {
        fhirAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        String id = path.substring(path.lastIndexOf('/') + 1);
        exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
        send(exchange, 200, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"given\":[\"Ada\"],"
            + "\"family\":\"Lovelace\"}],\"birthDate\":\"1965-12-10\"}");
      } else {
        send(exchange, 404, "{}");
      }
    } catch (Exception e) {
      send(exchange, 500, e.toString());
    }
  }

  private String discovery(String capabilities) {
    return """
        {"issuer": "%1$s", "jwks_uri": "%1$s/jwks",
         "authorization_endpoint": "%1$s/authorize", "token_endpoint": "%1$s/token",
         "code_challenge_methods_supported": ["S256"],
         "capabilities": [%2$s]}
        """.formatted(base(), capabilities);
  }

  private void token(HttpExchange exchange) throws Exception {
    Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(form);
    tokenAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if ("refresh_token".equals(form.get("grant_type"))) {
      if (!"ok".equals(refreshTokenAnswer)) {
        send(exchange, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      send(exchange, 200, "{\"access_token\":\"refreshed-access\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
      return;
    }
    Grant grant = codes.remove(form.get("code"));
    if (grant == null) {
      send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or used code\"}");
      return;
    }
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(base())
        .subject("practitioner-1")
        .audience(clientId(form, exchange))
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .claim("nonce", grant.nonce());
    if (grant.fhirUser() != null) {
      claims.claim("fhirUser", grant.fhirUser());
    }
    SignedJWT idToken = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(),
        claims.build());
    idToken.sign(new RSASSASigner(signingKey));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", "secret-access-token");
    body.put("token_type", "Bearer");
    if (grant.expiresIn() != null) {
      body.put("expires_in", grant.expiresIn());
    }
    body.put("scope", grant.scope());
    body.put("id_token", idToken.serialize());
    body.put("patient", grant.patient());
    body.put("need_patient_banner", grant.needPatientBanner());
    body.put("smart_style_url", base() + "/style.json");
    if (grant.withRefreshToken()) {
      body.put("refresh_token", "secret-refresh-token");
    }
    send(exchange, 200, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body));
  }

  private static String clientId(Map<String, String> form, HttpExchange exchange) {
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String user = new String(java.util.Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
      return URLDecoder.decode(user.substring(0, user.indexOf(':')), StandardCharsets.UTF_8);
    }
    return form.get("client_id");
  }

  static Map<String, String> form(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void send(HttpExchange exchange, int status, String body) {
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
