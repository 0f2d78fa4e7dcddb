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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
  private final String givenScope;
  private final Consumer<String> notes;
  private final Clock clock;
  private String scope;
  private String token;
  private Instant renewAt = Instant.MIN;
  private int issued;
  private List<String> typesOutOfScope = List.of();

  private BackendServicesTokens(HttpClient http, URI fhirBase, String clientId, BackendKey key, String scope,
      Consumer<String> notes, Clock clock) {
    this.http = http;
    this.fhirBase = fhirBase;
    this.clientId = clientId;
    this.key = key;
    this.givenScope = scope;
    this.notes = notes;
    this.clock = clock;
  }

  /**
   * Tokens for {@code clientId} at the server's token endpoint, found in its SMART configuration when the first token
   * is needed (a finished export started again asks the server nothing).
   *
   * @param scope the scope to ask for; null for the rules' default ({@link RulesExport#defaultScope()}), narrowed
   *     to the scopes the server lists as supported (a server may refuse a scope for a type it does not hold)
   * @param notes where a narrowed scope is told (stderr)
   */
  public static BackendServicesTokens discover(HttpClient http, URI fhirBase, String clientId, BackendKey key,
      String scope, Consumer<String> notes, Clock clock) {
    return new BackendServicesTokens(http, fhirBase, clientId, key, scope, notes, clock);
  }

  /** The server's {@code FHIR_BASE/.well-known/smart-configuration}, with a token endpoint. */
  static JsonNode smartConfiguration(HttpClient http, URI fhirBase) throws BulkException {
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
    JsonNode configuration;
    try {
      configuration = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new BulkException(wellKnown + " is not JSON");
    }
    String endpoint = configuration.path("token_endpoint").asText("");
    if (endpoint.isBlank()) {
      throw new BulkException(wellKnown + " names no token_endpoint: the server offers no SMART Backend Services");
    }
    ((com.fasterxml.jackson.databind.node.ObjectNode) configuration).put("token_endpoint",
        wellKnown.resolve(endpoint).toString());
    return configuration;
  }

  @Override
  public synchronized Optional<String> current() throws BulkException {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      requestToken();
    }
    return Optional.of(token);
  }

  @Override
  public synchronized List<String> typesOutOfScope() {
    return typesOutOfScope;
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
    return "BackendServicesTokens[" + shownClientId() + " at " + fhirBase + ", " + key + "]";
  }

  private void requestToken() throws BulkException {
    if (tokenEndpoint == null) {
      JsonNode configuration = smartConfiguration(http, fhirBase);
      tokenEndpoint = URI.create(configuration.get("token_endpoint").asText());
      scope = givenScope != null ? givenScope : defaultScope(configuration.path("scopes_supported"));
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
      throw new BulkException("the token endpoint " + tokenEndpoint + " refused client '" + shownClientId()
          + "' (HTTP " + response.statusCode() + (error.isEmpty() ? "" : ", " + error)
          + (description.isEmpty() ? "" : ": " + description) + "); check that the client is registered with the "
          + "public key of kid '" + key.keyId() + "' and allowed the scope '" + scope + "'");
    }
    token = answer.get("access_token").asText();
    List<String> outOfScope = unreadableTypes(answer.path("scope").isTextual() ? answer.get("scope").asText() : scope);
    if (!outOfScope.equals(typesOutOfScope) && !outOfScope.isEmpty()) {
      notes.accept("the token's scope does not allow reading " + String.join(", ", outOfScope) + ": the export "
          + "cannot include " + (outOfScope.size() == 1 ? "it" : "them"));
    }
    typesOutOfScope = outOfScope;
    Duration lifetime = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
        ? Duration.ofSeconds(answer.path("expires_in").asLong()) : DEFAULT_LIFETIME;
    Duration margin = lifetime.dividedBy(4).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(4) : MAX_MARGIN;
    renewAt = now.plus(lifetime).minus(margin);
    issued++;
  }

  /**
   * The rules' default scope, without the types whose scope the server does not list (the SMART reference server
   * refuses a scope for a type it does not hold); all of it when the server lists none of them.
   */
  private String defaultScope(JsonNode supported) {
    List<String> wanted = List.of(RulesExport.defaultScope().split(" "));
    Set<String> listed = new HashSet<>();
    supported.forEach(s -> listed.add(s.asText()));
    List<String> kept = wanted.stream().filter(listed::contains).toList();
    if (kept.isEmpty() || kept.size() == wanted.size()) {
      return String.join(" ", wanted);
    }
    List<String> dropped = wanted.stream().filter(s -> !listed.contains(s)).toList();
    notes.accept("the server lists no " + String.join(", ", dropped) + " among its supported scopes; asking "
        + "without " + (dropped.size() == 1 ? "it" : "them"));
    return String.join(" ", kept);
  }

  /**
   * The rule types (Medication aside) that a granted scope does not let the client read, SMART v1 or v2 form
   * ({@code system/Observation.rs}, {@code system/*.read}); none when the scope names no resource scope at all
   * (a server-specific scope whose meaning the client cannot tell).
   */
  static List<String> unreadableTypes(String granted) {
    List<String> scopes = List.of(granted.trim().split("\\s+"));
    java.util.regex.Pattern resourceScope = java.util.regex.Pattern.compile("(system|user|patient)/([A-Za-z]+|\\*)\\."
        + "(\\*|read|write|[cruds]+)");
    if (scopes.stream().noneMatch(s -> resourceScope.matcher(s).matches())) {
      return List.of();
    }
    return RulesExport.TYPES.stream().filter(RulesExport::isRuleType).filter(type -> scopes.stream().noneMatch(s -> {
      java.util.regex.Matcher m = resourceScope.matcher(s);
      return m.matches() && (m.group(2).equals("*") || m.group(2).equals(type))
          && (m.group(3).equals("*") || m.group(3).equals("read") || m.group(3).contains("r"));
    })).toList();
  }

  /** A client id as shown in a message: long ones (some servers issue a JWT as client id) shortened. */
  private String shownClientId() {
    return clientId.length() <= 40 ? clientId : clientId.substring(0, 20) + "…" + clientId.substring(
        clientId.length() - 8);
  }

  static String withSlash(URI base) {
    String text = base.toString();
    return text.endsWith("/") ? text : text + "/";
  }
}
