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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser without a screen for the sandbox's tests: keeps cookies, follows no redirect by itself, posts forms. */
final class SandboxBrowser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern HIDDEN = Pattern.compile("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
  private static final Pattern CHECKBOX = Pattern.compile("type=\"checkbox\" name=\"scope\" id=\"[^\"]+\" value=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newBuilder()
      .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build());
  }

  HttpResponse<String> get(String url, String bearerToken) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json")
        .header("Authorization", "Bearer " + bearerToken).GET().build());
  }

  HttpResponse<String> postJson(String url, String bearerToken, String json) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/fhir+json")
        .header("Authorization", "Bearer " + bearerToken).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> postForm(String url, Map<String, List<String>> form) {
    return postForm(url, form, null);
  }

  HttpResponse<String> postForm(String url, Map<String, List<String>> form, String basicAuthorization) {
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
  HttpResponse<String> followWithin(String origin, HttpResponse<String> response) {
    while (response.statusCode() / 100 == 3) {
      String location = location(response);
      if (!location.startsWith(origin)) {
        return response;
      }
      response = get(location);
    }
    return response;
  }

  static String location(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElseThrow(
        () -> new AssertionError("no Location in HTTP " + response.statusCode() + ": " + response.body()));
    return location.startsWith("/") ? origin(response.uri()) + location : location;
  }

  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  static String csrf(String html) {
    Matcher matcher = CSRF.matcher(html);
    if (!matcher.find()) {
      throw new AssertionError("no CSRF field in the page: " + html);
    }
    return matcher.group(1);
  }

  static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher matcher = HIDDEN.matcher(html);
    while (matcher.find()) {
      fields.putIfAbsent(matcher.group(1), unescape(matcher.group(2)));
    }
    return fields;
  }

  static List<String> scopeCheckboxes(String html) {
    List<String> scopes = new ArrayList<>();
    Matcher matcher = CHECKBOX.matcher(html);
    while (matcher.find()) {
      scopes.add(unescape(matcher.group(1)));
    }
    return scopes;
  }

  /** The query parameters of a URL, decoded. */
  static Map<String, String> query(String url) {
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

  static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String encode(Map<String, List<String>> form) {
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
