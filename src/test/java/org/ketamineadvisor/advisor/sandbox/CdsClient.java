package org.ketamineadvisor.advisor.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sandbox EHR as a CDS Hooks client, as an EHR calls a CDS service: it reads the service's discovery, runs the
 * prefetch templates against its own FHIR server, hands the service a read token ({@code fhirAuthorization}) for what
 * prefetch does not carry, and posts the hook with a JWT signed by its own key (RS384; its
 * public key is at {@code {issuer}/oauth2/jwks}, which the app is configured to trust). Cards come back as they are.
 */
public final class CdsClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final SandboxSetup setup;

  CdsClient(SandboxSetup setup) {
    this.setup = setup;
  }

  /** A client for the sandbox's EHR (benchmarks call the app's hooks as the sandbox does). */
  public static CdsClient of(SandboxEhr sandbox) {
    return new CdsClient(sandbox.setup());
  }

  /** A prepared hook call: the service's id and the request with its prefetch, to be posted (many times). */
  public record Prepared(String serviceId, ObjectNode request) {}

  /** The cards of {@code hook} ("order-select" with a draft ketamine order, "patient-view") for the patient; none
   * when the app offers no such service. */
  List<JsonNode> call(String hook, String patientId, String userId) throws IOException, InterruptedException {
    Prepared prepared = prepare(hook, patientId, userId);
    if (prepared == null) {
      return List.of();
    }
    HttpResponse<String> response = post(prepared);
    if (response.statusCode() != 200) {
      throw new IOException("the CDS service answered " + response.statusCode() + ": " + response.body());
    }
    List<JsonNode> cards = new ArrayList<>();
    ((ArrayNode) JSON.readTree(response.body()).path("cards")).forEach(cards::add);
    return cards;
  }

  /** Reads the discovery and runs the prefetch templates; null when the app offers no service for the hook. */
  public Prepared prepare(String hook, String patientId, String userId) throws IOException, InterruptedException {
    String base = setup.options().appBase() + "/cds-services";
    JsonNode discovery = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
    JsonNode service = null;
    for (JsonNode s : discovery.path("services")) {
      if (hook.equals(s.path("hook").asText())) {
        service = s;
      }
    }
    if (service == null) {
      return null;
    }
    ObjectNode request = JSON.createObjectNode();
    request.put("hookInstance", UUID.randomUUID().toString()).put("hook", hook).put("fhirServer", setup.fhirBase());
    ObjectNode context = request.putObject("context").put("userId", userId).put("patientId", patientId);
    if (!"patient-view".equals(hook)) {
      context.putArray("selections").add("MedicationRequest/draft-ketamine");
      ObjectNode order = context.putObject("draftOrders").put("resourceType", "Bundle").put("type", "collection")
          .putArray("entry").addObject().putObject("resource");
      order.put("resourceType", "MedicationRequest").put("id", "draft-ketamine").put("status", "draft")
          .put("intent", "order");
      order.putObject("subject").put("reference", "Patient/" + patientId);
      order.putObject("medicationCodeableConcept").put("text", "Ketamine IV infusion").putArray("coding").addObject()
          .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", "6130").put("display", "ketamine");
    }
    String token = SandboxEhr.patientToken(setup, patientId, List.of(BearerTokenFilter.SYSTEM_READ), null);
    // as an EHR does: the service may read what prefetch cannot carry (a referenced Medication: no _include in the
    // recommended prefetch queries) with this token
    request.putObject("fhirAuthorization").put("access_token", token).put("token_type", "Bearer")
        .put("expires_in", (int) setup.options().accessTokenTtl().toSeconds()).put("scope", BearerTokenFilter.SYSTEM_READ)
        .put("subject", "ketamine-advisor");
    ObjectNode prefetch = request.putObject("prefetch");
    Iterator<Map.Entry<String, JsonNode>> templates = service.path("prefetch").fields();
    while (templates.hasNext()) {
      Map.Entry<String, JsonNode> t = templates.next();
      String query = t.getValue().asText().replace("{{context.patientId}}", patientId).replace("|", "%7C");
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(setup.fhirBase() + "/" + query))
          .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      prefetch.set(t.getKey(), answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null);
    }
    return new Prepared(service.path("id").asText(), request);
  }

  /** Posts the prepared call with a freshly signed JWT (a new jti each time). */
  public HttpResponse<String> post(Prepared prepared) throws IOException, InterruptedException {
    return post(prepared, signedJwt(prepared));
  }

  /** The JWT the EHR signs for one call of the prepared service (its own jti). */
  public String signedJwt(Prepared prepared) {
    return jwt(setup.options().appBase() + "/cds-services/" + prepared.serviceId());
  }

  /** Posts the prepared call with {@code jwt} (a replay, when it was sent before). */
  public HttpResponse<String> post(Prepared prepared, String jwt) throws IOException, InterruptedException {
    String url = setup.options().appBase() + "/cds-services/" + prepared.serviceId();
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + jwt)
        .POST(HttpRequest.BodyPublishers.ofString(prepared.request().toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String jwt(String audience) {
    Instant now = setup.options().clock().instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(setup.issuer()).subject("sandbox-ehr").audience(audience)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
        .build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).type(JOSEObjectType.JWT)
          .keyID(setup.signingKey().getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(setup.signingKey()));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("could not sign the CDS client JWT", e);
    }
  }
}
