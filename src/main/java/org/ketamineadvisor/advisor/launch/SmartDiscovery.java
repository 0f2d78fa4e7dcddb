package org.ketamineadvisor.advisor.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@code {iss}/.well-known/smart-configuration} with a timeout and keeps it for a while, so a launch costs no
 * extra round trip once the EHR is known. Failures are not cached: the next launch tries again.
 */
public class SmartDiscovery {

  private static final String SMART_CONFIGURATION = "/.well-known/smart-configuration";

  private final HttpClient http;
  private final ObjectMapper json;
  private final LaunchProperties.Discovery settings;
  private final Clock clock;
  private final Map<URI, Cached> cache = new ConcurrentHashMap<>();

  public SmartDiscovery(ObjectMapper json, LaunchProperties.Discovery settings, Clock clock) {
    this.json = json;
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The SMART configuration of the FHIR server at {@code fhirBase}; throws {@link DiscoveryFailedException}. */
  public SmartConfiguration discover(URI fhirBase) {
    Instant now = clock.instant();
    Cached cached = cache.get(fhirBase);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.configuration();
    }
    SmartConfiguration fresh = fetch(fhirBase);
    cache.put(fhirBase, new Cached(fresh, now.plus(settings.cacheFor())));
    return fresh;
  }

  private SmartConfiguration fetch(URI fhirBase) {
    URI where = URI.create(fhirBase + SMART_CONFIGURATION);
    JsonNode body = getJson(where);
    URI authorize = url(body, "authorization_endpoint", where);
    URI token = url(body, "token_endpoint", where);
    if (authorize == null || token == null) {
      throw new DiscoveryFailedException("The SMART configuration at " + where + " has no "
          + (authorize == null ? "authorization_endpoint" : "token_endpoint")
          + ": the EHR does not offer the SMART authorization code flow there. Ask the EHR's integration team "
          + "for the right FHIR base URL (advisor.ehrs[n].issuer).");
    }
    Set<String> challenges = strings(body, "code_challenge_methods_supported");
    if (!challenges.isEmpty() && !challenges.contains("S256")) {
      throw new DiscoveryFailedException("The SMART configuration at " + where + " does not support PKCE S256 "
          + "(code_challenge_methods_supported: " + challenges + "); the app requires it (SMART App Launch 2.x).");
    }
    URI issuer = url(body, "issuer", where);
    URI jwks = url(body, "jwks_uri", where);
    if (jwks == null && issuer != null) {
      // SMART makes jwks_uri optional; OpenID Connect discovery then names the id_token signing keys
      jwks = openIdJwksUri(issuer);
    }
    return new SmartConfiguration(issuer, authorize, token, jwks, strings(body, "scopes_supported"),
        strings(body, "capabilities"), challenges);
  }

  private URI openIdJwksUri(URI issuer) {
    URI where = URI.create(issuer.toString().replaceAll("/$", "") + "/.well-known/openid-configuration");
    try {
      return url(getJson(where), "jwks_uri", where);
    } catch (DiscoveryFailedException e) {
      return null;
    }
  }

  private JsonNode getJson(URI where) {
    HttpRequest request = HttpRequest.newBuilder(where)
        .timeout(settings.timeout())
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DiscoveryFailedException("Could not reach " + where + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Check that the EHR is up and that "
          + "advisor.ehrs[n].issuer is its FHIR base URL.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiscoveryFailedException("Interrupted while reading " + where, e);
    }
    if (response.statusCode() != 200) {
      throw new DiscoveryFailedException(where + " answered HTTP " + response.statusCode()
          + ": the EHR publishes no SMART configuration there. Check advisor.ehrs[n].issuer.");
    }
    try {
      JsonNode body = json.readTree(response.body());
      if (body == null || !body.isObject()) {
        throw new DiscoveryFailedException(where + " did not return a JSON object.");
      }
      return body;
    } catch (IOException e) {
      throw new DiscoveryFailedException(where + " did not return valid JSON: " + e.getMessage(), e);
    }
  }

  private static URI url(JsonNode body, String field, URI where) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      URI uri = URI.create(value.asText());
      if (uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below with the field's name
    }
    throw new DiscoveryFailedException("The SMART configuration at " + where + " has an invalid " + field + ": '"
        + value.asText() + "' is not an absolute http(s) URL.");
  }

  private static Set<String> strings(JsonNode body, String field) {
    Set<String> values = new LinkedHashSet<>();
    JsonNode array = body.get(field);
    if (array != null && array.isArray()) {
      array.forEach(item -> values.add(item.asText()));
    }
    return values;
  }

  private record Cached(SmartConfiguration configuration, Instant until) {}
}
