package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server speaking Bulk Data Access 2.0 and SMART Backend Services by a script: it checks what a strict
 * server checks (the client assertion's signature and claims, the token on every request, the kick-off's Accept and
 * Prefer headers), and plays the faults a real client meets (429 with an epoch Retry-After, 503, a download cut
 * halfway, a token revoked mid-export, a refused {@code _typeFilter}, a forgotten job). Stands in until the embedded
 * HAPI server offers Bulk Data export behind the sandbox's authorization server.
 */
public final class ScriptedBulkServer implements AutoCloseable {

  /** One request as the server saw it. */
  public record Seen(String method, String path, String query, String authorization, String accept, Instant at) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Clock clock;
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final Map<String, String> files = new LinkedHashMap<>();
  private final Deque<String> statusScript = new ArrayDeque<>();
  private final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> endMidLineOnce = ConcurrentHashMap.newKeySet();
  private final Set<String> usedJtis = new HashSet<>();

  public JWK clientKey;
  public String clientId = "screening-app";
  public boolean requireToken;
  public boolean requiresAccessToken = true;
  public long tokenLifetimeSeconds = 300;
  public boolean refuseTypeFilter;
  public String refuseEverything;
  /** A type the server does not hold: a kick-off naming it is refused, as the SMART reference server does. */
  public String refuseType;
  /** The scope the token endpoint says it granted; null: what was asked. */
  public String grantedScope;
  public String errorFile;
  public int revokeTokensAtStatusRequest = -1;
  /** As the SMART reference server: a _typeFilter ends the export at Observation, silently. */
  public boolean typeFilterEndsExportAtObservation;
  /** As the SMART reference server once did: the first complete answer's manifest does not list Patient yet. */
  public boolean firstManifestWithoutPatient;
  private boolean lastKickOffFiltered;
  private boolean jobsForgotten;
  private int statusRequests;
  private int tokensIssued;
  private int unauthorized;
  private int jobs;

  public ScriptedBulkServer(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  /** An output file the finished export lists, in order. */
  public ScriptedBulkServer file(String type, String ndjson) {
    files.put(type, ndjson);
    return this;
  }

  /**
   * Status answers before the manifest: "202", "202:<retry-after>", "429-epoch:<seconds>", "503:<seconds>",
   * "500-transient" (an OperationOutcome coded transient, as the reference server's transient_error), "500".
   */
  public ScriptedBulkServer status(String... steps) {
    statusScript.addAll(List.of(steps));
    return this;
  }

  /** The file of this type breaks off halfway the first time it is downloaded. */
  public ScriptedBulkServer cutOnce(String type) {
    cutOnce.add(type);
    return this;
  }

  /**
   * The file of this type is sent once without a length (chunked) and ends properly, but in the middle of a line: only
   * the client's own check of the last line can tell it is incomplete.
   */
  public ScriptedBulkServer endMidLineOnce(String type) {
    endMidLineOnce.add(type);
    return this;
  }

  /** The file of this type fails (500) until {@link #heal()}. */
  public ScriptedBulkServer failing(String type) {
    failing.add(type);
    return this;
  }

  public void heal() {
    failing.clear();
  }

  /** The server forgets every job (its status URL answers 404). */
  public void forgetJobs() {
    jobsForgotten = true;
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public List<Seen> seen(String method, String pathPart) {
    return seen().stream().filter(s -> s.method().equals(method) && s.path().contains(pathPart)).toList();
  }

  public int tokensIssued() {
    return tokensIssued;
  }

  public int unauthorized() {
    return unauthorized;
  }

  /** Every token issued so far (to check that none is ever printed). */
  public Set<String> issuedTokens() {
    return Set.copyOf(issued);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String path = uri.getPath();
      seen.add(new Seen(exchange.getRequestMethod(), path, uri.getRawQuery(),
          exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Accept"),
          clock.instant()));
      if (path.equals("/fhir/.well-known/smart-configuration")) {
        send(exchange, 200, "application/json", "{\"token_endpoint\": \"" + base().replace("/fhir", "")
            + "/oauth2/token\", \"grant_types_supported\": [\"client_credentials\"]}");
      } else if (path.equals("/oauth2/token")) {
        token(exchange);
      } else if (!authorized(exchange, !path.startsWith("/fhir/files/") || requiresAccessToken)) {
        unauthorized++;
        send(exchange, 401, "application/fhir+json", outcome("invalid or expired token"));
      } else if (path.endsWith("/$export")) {
        kickOff(exchange, uri);
      } else if (path.startsWith("/fhir/status/")) {
        status(exchange);
      } else if (path.startsWith("/fhir/files/")) {
        download(exchange, path.substring("/fhir/files/".length()));
      } else {
        send(exchange, 404, "application/fhir+json", outcome("no such resource"));
      }
    }
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
    }
    try {
      SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
      var claims = jwt.getJWTClaimsSet();
      boolean verified = clientKey.getKeyID().equals(jwt.getHeader().getKeyID())
          && jwt.verify(clientKey instanceof com.nimbusds.jose.jwk.ECKey ec ? new ECDSAVerifier(ec.toPublicJWK())
              : new RSASSAVerifier(clientKey.toRSAKey().toPublicJWK()));
      Instant exp = claims.getExpirationTime().toInstant();
      boolean valid = "client_credentials".equals(form.get("grant_type"))
          && ClientAssertion.TYPE.equals(form.get("client_assertion_type"))
          && clientId.equals(claims.getIssuer()) && clientId.equals(claims.getSubject())
          && claims.getAudience().equals(List.of(base().replace("/fhir", "") + "/oauth2/token"))
          && exp.isAfter(clock.instant()) && !exp.isAfter(clock.instant().plusSeconds(300))
          && usedJtis.add(claims.getJWTID());
      if (!verified || !valid) {
        send(exchange, 401, "application/json", "{\"error\": \"invalid_client\", \"error_description\": "
            + "\"the client assertion is not valid\"}");
        return;
      }
    } catch (Exception e) {
      send(exchange, 400, "application/json", "{\"error\": \"invalid_request\"}");
      return;
    }
    String token = UUID.randomUUID().toString();
    tokens.put(token, clock.instant().plusSeconds(tokenLifetimeSeconds));
    issued.add(token);
    tokensIssued++;
    String scope = grantedScope != null ? grantedScope : form.get("scope");
    send(exchange, 200, "application/json", "{\"access_token\": \"" + token + "\", \"token_type\": \"bearer\", "
        + "\"expires_in\": " + tokenLifetimeSeconds + ", \"scope\": \"" + scope + "\"}");
  }

  private boolean authorized(HttpExchange exchange, boolean tokenNeeded) {
    if (!requireToken || !tokenNeeded) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    Instant expiry = tokens.get(header.substring(7));
    return expiry != null && clock.instant().isBefore(expiry);
  }

  private void kickOff(HttpExchange exchange, URI uri) throws IOException {
    // the reference server takes Accept literally
    if (!"application/fhir+json".equals(exchange.getRequestHeaders().getFirst("Accept"))
        || !"respond-async".equals(exchange.getRequestHeaders().getFirst("Prefer"))) {
      send(exchange, 400, "application/fhir+json", outcome("Accept must be application/fhir+json and Prefer "
          + "respond-async"));
      return;
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    if (refuseEverything != null) {
      send(exchange, 400, "application/fhir+json", outcome(refuseEverything));
      return;
    }
    if (refuseType != null && java.util.Arrays.asList(query.replaceAll("&.*", "").replace("_type=", "").split(","))
        .contains(refuseType)) {
      send(exchange, 400, "application/fhir+json", outcome("The requested resource type \"" + refuseType
          + "\" is not available on this server"));
      return;
    }
    if (refuseTypeFilter && query.contains("_typeFilter")) {
      send(exchange, 400, "application/fhir+json", outcome("The \"_typeFilter\" parameter is not supported"));
      return;
    }
    jobs++;
    jobsForgotten = false;
    lastKickOffFiltered = query.contains("_typeFilter");
    exchange.getResponseHeaders().set("Content-Location", base() + "/status/job-" + jobs);
    send(exchange, 202, "application/fhir+json", outcome("Your request has been accepted"));
  }

  private synchronized void status(HttpExchange exchange) throws IOException {
    if (jobsForgotten) {
      send(exchange, 404, "application/fhir+json", outcome("Unknown job"));
      return;
    }
    if (exchange.getRequestMethod().equals("DELETE")) {
      send(exchange, 202, "application/fhir+json", outcome("deleted"));
      return;
    }
    statusRequests++;
    if (statusRequests == revokeTokensAtStatusRequest) {
      tokens.clear();
    }
    String step = statusScript.poll();
    if (step == null) {
      send(exchange, 200, "application/json", manifest());
      return;
    }
    String[] parts = step.split(":");
    switch (parts[0]) {
      case "202" -> {
        exchange.getResponseHeaders().set("X-Progress", statusRequests * 10 + "% complete");
        if (parts.length > 1) {
          exchange.getResponseHeaders().set("Retry-After", parts[1]);
        }
        send(exchange, 202, null, "");
      }
      case "429-epoch" -> {
        exchange.getResponseHeaders().set("Retry-After",
            String.valueOf(clock.instant().getEpochSecond() + Long.parseLong(parts[1])));
        send(exchange, 429, "application/json", "{\"error\": \"Too many requests\"}");
      }
      case "503" -> {
        exchange.getResponseHeaders().set("Retry-After", parts[1]);
        send(exchange, 503, "text/plain", "busy");
      }
      case "500-transient" -> {
        ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        outcome.putArray("issue").addObject().put("severity", "error").put("code", "transient")
            .put("diagnostics", "An unknown error occurred (transient_error). Please try again.");
        send(exchange, 500, "application/json", outcome.toString());
      }
      case "500" -> send(exchange, 500, "application/json", outcome("the export failed"));
      default -> throw new IllegalStateException(step);
    }
  }

  private String manifest() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("transactionTime", clock.instant().toString());
    manifest.put("request", base() + "/$export");
    manifest.put("requiresAccessToken", requiresAccessToken);
    ArrayNode output = manifest.putArray("output");
    boolean withoutPatient = firstManifestWithoutPatient;
    firstManifestWithoutPatient = false;
    files.keySet().stream()
        .filter(type -> !(typeFilterEndsExportAtObservation && lastKickOffFiltered
            && type.compareTo("Observation") >= 0))
        .filter(type -> !(withoutPatient && type.equals("Patient")))
        .forEach(type -> output.addObject().put("type", type).put("url", base() + "/files/" + type));
    ArrayNode error = manifest.putArray("error");
    if (errorFile != null) {
      error.addObject().put("type", "OperationOutcome").put("url", base() + "/files/errors");
    }
    return manifest.toString();
  }

  private void download(HttpExchange exchange, String name) throws IOException {
    String content = name.equals("errors") ? errorFile : files.get(name);
    if (content == null) {
      send(exchange, 404, "application/fhir+json", outcome("no such file"));
      return;
    }
    if (failing.contains(name)) {
      send(exchange, 500, "application/fhir+json", outcome("storage unavailable"));
      return;
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/fhir+ndjson");
    if (endMidLineOnce.remove(name)) {
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(bytes, 0, bytes.length / 2 + 3);
      return;
    }
    exchange.sendResponseHeaders(200, bytes.length);
    OutputStream body = exchange.getResponseBody();
    if (cutOnce.remove(name)) {
      body.write(bytes, 0, bytes.length / 2);
      body.flush();
      // closing with bytes missing breaks the connection: the client gets less than Content-Length
      throw new IOException("cut halfway on purpose");
    }
    body.write(bytes);
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      exchange.getResponseHeaders().set("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  public static String outcome(String diagnostics) {
    ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
    outcome.putArray("issue").addObject().put("severity", "error").put("code", "processing")
        .put("diagnostics", diagnostics);
    return outcome.toString();
  }
}
