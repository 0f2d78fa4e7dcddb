package org.ketamineadvisor.advisor.sandbox;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser without a screen for tests against the sandbox (its own and the app's launch tests): keeps cookies, follows no redirect by itself, posts forms. */
public final class SandboxBrowser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern HIDDEN = Pattern.compile("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
  private static final Pattern CHECKBOX = Pattern.compile("type=\"checkbox\" name=\"scope\" id=\"[^\"]+\" value=\"([^\"]+)\"");

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http = HttpClient.newBuilder()
      .cookieHandler(cookies)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  /** The value of the cookie {@code name} this browser would send to {@code url}, or null. */
  public String cookie(String url, String name) {
    return cookies.getCookieStore().get(URI.create(url)).stream()
        .filter(cookie -> cookie.getName().equals(name))
        .map(java.net.HttpCookie::getValue)
        .findFirst().orElse(null);
  }

  public HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build());
  }

  /** A GET as an API client (JSON), with a bearer token unless {@code bearerToken} is null. */
  public HttpResponse<String> get(String url, String bearerToken) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "application/fhir+json, application/json").GET();
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return send(request.build());
  }

  public HttpResponse<String> postJson(String url, String bearerToken, String json) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/fhir+json")
        .header("Authorization", "Bearer " + bearerToken).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> postForm(String url, Map<String, List<String>> form) {
    return postForm(url, form, null);
  }

  public HttpResponse<String> postForm(String url, Map<String, List<String>> form, String basicAuthorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "text/html,application/json")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    if (basicAuthorization != null) {
      request.header("Authorization", "Basic " + basicAuthorization);
    }
    return send(request.build());
  }

  /** Follows redirects from {@code response} until one leaves {@code origin} (returns its Location) or a page shows. */
  /** Signs in as the demo user ({@code dr.ada}) when {@code response}, followed within the sandbox, is its sign-in page. */
  public HttpResponse<String> signInAsDemoUser(String issuer, HttpResponse<String> response) {
    response = followWithin(issuer, response);
    if (response.statusCode() == 200 && response.uri().getPath().equals("/login")) {
      response = followWithin(issuer, postForm(issuer + "/login",
          form("username", "dr.ada", "password", "sandbox", "_csrf", csrf(response.body()))));
    }
    return response;
  }

  /**
   * From an authorize request: sign in, pick {@code patientToPick} if the sandbox asks (standalone launch), and
   * consent to every offered scope but {@code untick}; returns the app's callback URL the sandbox redirects to.
   */
  public String consent(String issuer, HttpResponse<String> authorize, Set<String> untick, String patientToPick) {
    HttpResponse<String> response = signInAsDemoUser(issuer, authorize);
    for (int step = 0; step < 4 && response.statusCode() == 200; step++) {
      String path = response.uri().getPath();
      String page = response.body();
      if (path.equals("/patient-picker")) {
        response = postForm(issuer + path, form("patient", patientToPick, "_csrf", csrf(page)));
      } else if (path.equals("/consent")) {
        Map<String, List<String>> consent = new LinkedHashMap<>();
        hiddenFields(page).forEach((name, value) -> consent.put(name, List.of(value)));
        List<String> offered = scopeCheckboxes(page);
        if (!offered.containsAll(untick)) {
          throw new AssertionError("the consent page offers " + offered + ", not all of " + untick);
        }
        consent.put("scope", offered.stream().filter(scope -> !untick.contains(scope)).toList());
        response = postForm(issuer + "/oauth2/authorize", consent);
      } else {
        throw new AssertionError("unexpected page " + path + ": " + page);
      }
      response = followWithin(issuer, response);
    }
    if (response.statusCode() != 302) {
      throw new AssertionError("expected the redirect to the app, got " + response.statusCode() + " from "
          + response.uri() + ": " + response.body());
    }
    return location(response);
  }

  /** A form body: names and values alternating. */
  public static Map<String, List<String>> form(String... namesAndValues) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    }
    return form;
  }

  public HttpResponse<String> followWithin(String origin, HttpResponse<String> response) {
    while (response.statusCode() / 100 == 3) {
      String location = location(response);
      // compare whole origins: http://localhost:4123 is a prefix of http://localhost:41235
      if (!origin(URI.create(location)).equals(origin)) {
        return response;
      }
      response = get(location);
    }
    return response;
  }

  public static String location(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElseThrow(
        () -> new AssertionError("no Location in HTTP " + response.statusCode() + ": " + response.body()));
    return location.startsWith("/") ? origin(response.uri()) + location : location;
  }

  public static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  public static String csrf(String html) {
    Matcher matcher = CSRF.matcher(html);
    if (!matcher.find()) {
      throw new AssertionError("no CSRF field in the page: " + html);
    }
    return matcher.group(1);
  }

  public static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher matcher = HIDDEN.matcher(html);
    while (matcher.find()) {
      fields.putIfAbsent(matcher.group(1), unescape(matcher.group(2)));
    }
    return fields;
  }

  public static List<String> scopeCheckboxes(String html) {
    List<String> scopes = new ArrayList<>();
    Matcher matcher = CHECKBOX.matcher(html);
    while (matcher.find()) {
      scopes.add(unescape(matcher.group(1)));
    }
    return scopes;
  }

  /** The query parameters of a URL, decoded. */
  public static Map<String, String> query(String url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = URI.create(url).getRawQuery();
    if (query == null) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.put(name, value);
    }
    return parameters;
  }

  public static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static String encode(Map<String, List<String>> form) {
    StringBuilder body = new StringBuilder();
    form.forEach((name, values) -> values.forEach(value -> {
      if (!body.isEmpty()) {
        body.append('&');
      }
      body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }));
    return body.toString();
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("HTTP " + request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
