package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SMART Backend Services tokens: client credentials with a signed client assertion, from the token endpoint the
 * server names in {@code .well-known/smart-configuration}. A token is renewed before it expires (its
 * {@code expires_in} minus a margin) and after a 401, so an export that outlasts one token carries on.
 * The token is never printed and not part of {@link #toString()}.
 */
public final class BackendServicesTokens implements AccessTokens {

  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  static final Duration MAX_MARGIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI fhirBase;
  private URI tokenEndpoint;
  private final String clientId;
  private final BackendKey key;
  private final String scope;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;
  private int issued;

  private BackendServicesTokens(HttpClient http, URI fhirBase, String clientId, BackendKey key, String scope,
      Clock clock) {
    this.http = http;
    this.fhirBase = fhirBase;
    this.clientId = clientId;
    this.key = key;
    this.scope = scope;
    this.clock = clock;
  }

  /**
   * Tokens for {@code clientId} at the server's token endpoint, found in its SMART configuration when the first token
   * is needed (a finished export started again asks the server nothing).
   */
  public static BackendServicesTokens discover(HttpClient http, URI fhirBase, String clientId, BackendKey key,
      String scope, Clock clock) {
    return new BackendServicesTokens(http, fhirBase, clientId, key, scope, clock);
  }

  /** The token endpoint named in {@code FHIR_BASE/.well-known/smart-configuration}. */
  static URI tokenEndpoint(HttpClient http, URI fhirBase) throws BulkException {
    URI wellKnown = URI.create(withSlash(fhirBase) + ".well-known/smart-configuration");
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(wellKnown).timeout(Duration.ofSeconds(30))
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BulkException(wellKnown + " cannot be reached (" + e.getClass().getSimpleName() + "): is --fhir-base "
          + "right and the server up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BulkException("interrupted while reading " + wellKnown, e);
    }
    if (response.statusCode() != 200) {
      throw new BulkException(wellKnown + " answered HTTP " + response.statusCode() + ": the server publishes no "
          + "SMART configuration, so the token endpoint for --client-id is unknown (without --client-id no token "
          + "is asked for)");
    }
    String endpoint;
    try {
      endpoint = JSON.readTree(response.body()).path("token_endpoint").asText("");
    } catch (IOException e) {
      throw new BulkException(wellKnown + " is not JSON");
    }
    if (endpoint.isBlank()) {
      throw new BulkException(wellKnown + " names no token_endpoint: the server offers no SMART Backend Services");
    }
    return wellKnown.resolve(endpoint);
  }

  @Override
  public synchronized Optional<String> current() throws BulkException {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      requestToken();
    }
    return Optional.of(token);
  }

  @Override
  public synchronized void rejected() {
    token = null;
  }

  /** How many tokens were issued so far (a long export shows renewals). */
  public synchronized int issued() {
    return issued;
  }

  @Override
  public String toString() {
    return "BackendServicesTokens[" + clientId + " at " + fhirBase + ", " + key + "]";
  }

  private void requestToken() throws BulkException {
    if (tokenEndpoint == null) {
      tokenEndpoint = tokenEndpoint(http, fhirBase);
    }
    Instant now = clock.instant();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("scope", scope);
    form.put("client_assertion_type", ClientAssertion.TYPE);
    form.put("client_assertion", ClientAssertion.sign(key, clientId, tokenEndpoint, now));
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BulkException("the token endpoint " + tokenEndpoint + " cannot be reached ("
          + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BulkException("interrupted while asking for a token", e);
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = JSON.createObjectNode();
    }
    if (response.statusCode() != 200 || !answer.path("access_token").isTextual()) {
      String error = answer.path("error").asText("");
      String description = answer.path("error_description").asText("");
      throw new BulkException("the token endpoint " + tokenEndpoint + " refused client '" + clientId + "' (HTTP "
          + response.statusCode() + (error.isEmpty() ? "" : ", " + error)
          + (description.isEmpty() ? "" : ": " + description) + "); check that the client is registered with the "
          + "public key of kid '" + key.keyId() + "' and allowed the scope '" + scope + "'");
    }
    token = answer.get("access_token").asText();
    Duration lifetime = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
        ? Duration.ofSeconds(answer.path("expires_in").asLong()) : DEFAULT_LIFETIME;
    Duration margin = lifetime.dividedBy(4).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(4) : MAX_MARGIN;
    renewAt = now.plus(lifetime).minus(margin);
    issued++;
  }

  static String withSlash(URI base) {
    String text = base.toString();
    return text.endsWith("/") ? text : text + "/";
  }
}
