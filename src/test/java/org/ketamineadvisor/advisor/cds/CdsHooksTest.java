package org.ketamineadvisor.advisor.cds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CDS Hooks service over HTTP, as an EHR calls it: discovery; order-select with prefetch for a patient of each
 * verdict; drafts without ketamine; prefetch missing (read through fhirServer with fhirAuthorization, or said to be
 * unread without it); every bad-JWT case; feedback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CdsHooksTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://ehr.example.org/cds-client";
  private static final RSAKey KEY = rsa("client-key");
  private static final RSAKey STRANGER = rsa("client-key"); // same kid, another key: a forged signature
  private static final ECKey EC_KEY = ec("client-ec");
  private static final HttpServer JWKS = jwks();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry meters;

  @DynamicPropertySource
  static void cds(DynamicPropertyRegistry registry) {
    registry.add("advisor.cds.clients[0].issuer", () -> ISSUER);
    registry.add("advisor.cds.clients[0].jwk-set-uri", () -> "http://localhost:" + JWKS.getAddress().getPort()
        + "/jwks.json");
    registry.add("advisor.cds.clients[0].fhir-servers[0]", () -> EmbeddedFhirServer.shared().baseUrl());
    registry.add("advisor.pages.as-of", () -> "2026-06-01");
  }

  @AfterAll
  static void stop() {
    JWKS.stop(0);
  }

  @Test
  void discoveryListsTheOrderHooksWithPrefetchTemplates() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/cds-services"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode services = JSON.readTree(response.body()).get("services");
    assertThat(services.findValuesAsText("hook")).containsExactly("order-select", "order-sign");
    JsonNode prefetch = services.get(0).get("prefetch");
    assertThat(prefetch.get("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
    assertThat(prefetch.get("observations").asText()).startsWith("Observation?patient={{context.patientId}}&code=")
        .contains("http://loinc.org|8480-6").contains("http://loinc.org|2106-3");
    assertThat(prefetch.has("medicationStatements")).isTrue();
    assertThat(prefetch.has("allergies")).isTrue();
    // CDS Hooks § Prefetch query restrictions: instance reads, and type searches on patient with equality tokens,
    // date prefixes, _count and _sort; no _include (medication references are read by the service itself)
    for (JsonNode service : services) {
      service.get("prefetch").fields().forEachRemaining(t -> {
        String template = t.getValue().asText();
        assertThat(template).as(t.getKey()).doesNotContain("_include").doesNotContain("_revinclude");
        if (template.contains("?")) {
          for (String parameter : template.substring(template.indexOf('?') + 1).split("&")) {
            assertThat(parameter.substring(0, parameter.indexOf('='))).as(t.getKey() + ": " + template)
                .isIn("patient", "subject", "code", "code:in", "date", "status", "category", "_count", "_sort");
          }
        } else {
          assertThat(template).as(t.getKey()).matches("[A-Z][A-Za-z]+/\\{\\{context\\.[A-Za-z]+}}");
        }
      });
    }
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "crps-suitable, info, Ketamine: suitable for an IV course",
      "opioid-benzo, warning, opioid and benzodiazepine: high risk of respiratory depression",
      "psychosis-contraindicated, critical, Ketamine: contraindicated — Psychotic disorder",
      "minor, warning, Ketamine: not indicated — Not an adult (18 or older required)",
      "needs-information, warning, Ketamine: needs information — BP, weight, prior first-line trial"})
  void aKetamineDraftGetsOneCardWhoseIndicatorFollowsTheVerdict(String patient, String indicator, String summary)
      throws Exception {
    JsonNode response = call("ketamine-order-select", request(patient, prefetch(patient), true), jwt(KEY, "ketamine-order-select"));
    JsonNode cards = response.get("cards");
    assertThat(cards).hasSize(1);
    JsonNode card = cards.get(0);
    assertThat(card.get("indicator").asText()).isEqualTo(indicator);
    assertThat(card.get("summary").asText()).contains(summary).hasSizeLessThan(140);
    assertThat(card.get("source").get("label").asText()).contains("rule set v1.1");
    assertThat(card.get("links").get(0).get("type").asText()).isEqualTo("smart");
    assertThat(card.get("links").get(0).get("url").asText()).isEqualTo(url("/launch"));
    assertThat(card.has("overrideReasons")).isEqualTo("critical".equals(indicator));
    if (patient.equals("opioid-benzo")) {
      assertThat(card.get("detail").asText()).contains("Current opioid").contains("Current benzodiazepine")
          .contains("An opioid and a benzodiazepine are both current");
    }
  }

  /**
   * Every showcase patient's summary: fewer than 140 characters (the specification's "<140"), the verdict and the
   * reason that decides it, and no word cut in half.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "crps-suitable | Ketamine: suitable for an IV course",
      "sci-precautions | Ketamine: suitable with precautions — Hypertension or BP at least 140/90 mmHg; Current opioid",
      "psychosis-contraindicated | Ketamine: contraindicated — Psychotic disorder (active or history)",
      "pregnant-contraindicated | Ketamine: contraindicated — Pregnancy",
      "pregnancy-superseded | Ketamine: suitable with precautions — Current CNS depressant",
      "cirrhosis-contraindicated | Ketamine: contraindicated — Severe hepatic disease or ALT/AST at least 3 x upper limit of "
          + "normal",
      "needs-information | Ketamine: needs information — BP, weight, prior first-line trial",
      "not-indicated | Ketamine: not indicated — No active neuropathic pain condition",
      "ketamine-allergy | Ketamine: contraindicated — Ketamine hypersensitivity",
      "opioid-benzo | Ketamine: suitable with precautions — opioid and benzodiazepine: high risk of respiratory "
          + "depression",
      "prior-therapy-elsewhere | Ketamine: needs information — prior first-line trial",
      "bp-missing | Ketamine: needs information — BP",
      "signed-plan | Ketamine: suitable for an IV course",
      "deceased | Ketamine: not indicated — Patient is deceased",
      "minor | Ketamine: not indicated — Not an adult (18 or older required)"})
  void everyShowcaseSummaryNamesTheDecidingReasonInFewerThan140Characters(String patient, String expected)
      throws Exception {
    JsonNode card = call("ketamine-order-select", request(patient, prefetch(patient), true),
        jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    String summary = card.get("summary").asText();
    assertThat(summary).isEqualTo(expected);
    assertWholeWordsUnder140(summary);
  }

  /** Four contraindications at once do not fit: the summary ends at a whole word, with an ellipsis, under 140. */
  @Test
  void aSummaryTooLongForTheCardIsCutAtAWordWithAnEllipsis() throws Exception {
    ObjectNode merged = prefetch("psychosis-contraindicated");
    for (String other : List.of("cirrhosis-contraindicated", "pregnant-contraindicated", "ketamine-allergy")) {
      ObjectNode more = prefetch(other);
      for (String key : List.of("conditions", "observations", "allergies")) {
        for (JsonNode entry : more.get(key).path("entry")) {
          ObjectNode resource = (ObjectNode) entry.get("resource").deepCopy();
          // the subject is the patient of the merged record
          ObjectNode subject = (ObjectNode) (resource.has("subject") ? resource.get("subject") : resource.get("patient"));
          subject.put("reference", "Patient/psychosis-contraindicated");
          ((com.fasterxml.jackson.databind.node.ArrayNode) merged.get(key).withArray("entry")).addObject()
              .set("resource", resource);
        }
      }
    }
    JsonNode card = call("ketamine-order-select", request("psychosis-contraindicated", merged, true),
        jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    String summary = card.get("summary").asText();
    assertThat(card.get("indicator").asText()).isEqualTo("critical");
    assertThat(summary).startsWith("Ketamine: contraindicated — Psychotic disorder (active or history); ").endsWith("…");
    assertWholeWordsUnder140(summary);
    assertThat(card.get("detail").asText()).contains("Pregnancy").contains("Ketamine hypersensitivity");
  }

  /** Nothing but the conditions prefetched and no token: many unknowns, named in short words so weight is reached. */
  @Test
  void aNeedsInformationSummaryNamesTheMostImportantMissingItemsFirst() throws Exception {
    ObjectNode prefetch = prefetch("crps-suitable");
    for (String key : List.of("medicationRequests", "medicationStatements", "observations", "allergies")) {
      prefetch.remove(key);
    }
    JsonNode card = call("ketamine-order-select", request("crps-suitable", prefetch, true),
        jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    String summary = card.get("summary").asText();
    assertThat(summary).startsWith("Ketamine: needs information — BP, weight, prior first-line trial, pregnancy status");
    assertWholeWordsUnder140(summary);
  }

  @Test
  void theSummaryIsCutAfterAWholeWordAndKeepsTheEllipsisUnder140() {
    String text = "Ketamine: contraindicated — " + "Heart failure, unstable angina, or MI/stroke within 180 days; ".repeat(4);
    String cut = CdsCards.fit(text);
    assertThat(cut).hasSizeLessThan(140).endsWith("…");
    String kept = cut.substring(0, cut.length() - 1);
    assertThat(text).startsWith(kept);
    // what follows the kept text in the full text is a separator or a space, never the rest of a word
    assertThat(text.substring(kept.length())).matches("^[\\s;,:—]+.*");
    assertThat(CdsCards.fit("Ketamine: suitable for an IV course")).isEqualTo("Ketamine: suitable for an IV course");
  }

  @Test
  void draftsWithoutKetamineGetNoCard() throws Exception {
    JsonNode response = call("ketamine-order-select", request("crps-suitable", prefetch("crps-suitable"), false),
        jwt(KEY, "ketamine-order-select"));
    assertThat(response.get("cards")).isEmpty();
  }

  @Test
  void anEs384SignedCallIsAcceptedForOrderSign() throws Exception {
    JsonNode response = call("ketamine-order-sign", request("crps-suitable", prefetch("crps-suitable"), true),
        jwt(EC_KEY, "ketamine-order-sign"));
    assertThat(response.get("cards").get(0).get("indicator").asText()).isEqualTo("info");
  }

  @Test
  void missingPrefetchIsReadFromFhirServerWithTheGivenTokenAndWithoutOneTheCardSaysWhatWasNotRead() throws Exception {
    String base = EmbeddedFhirServer.shared().baseUrl();
    String copy = org.ketamineadvisor.advisor.workspace.ShowcaseCopiesAccess.load("psychosis-contraindicated", base);
    ObjectNode noPrefetch = request(copy, JSON.createObjectNode(), true);
    noPrefetch.put("fhirServer", base);
    noPrefetch.putObject("fhirAuthorization").put("access_token", "a-token").put("token_type", "Bearer")
        .put("expires_in", 300).put("scope", "patient/*.rs").put("subject", "ketamine-advisor");
    JsonNode read = call("ketamine-order-select", noPrefetch, jwt(KEY, "ketamine-order-select"));
    assertThat(read.get("cards").get(0).get("indicator").asText()).isEqualTo("critical");

    // the conditions are not prefetched and there is no token: never a clean card
    ObjectNode partial = prefetch("crps-suitable");
    partial.remove("conditions");
    ObjectNode blind = request("crps-suitable", partial, true);
    blind.put("fhirServer", base);
    JsonNode card = call("ketamine-order-select", blind, jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    assertThat(card.get("indicator").asText()).isEqualTo("warning");
    assertThat(card.get("summary").asText()).startsWith("Ketamine: needs information");
    assertThat(card.get("detail").asText()).contains("Not read").contains("Condition (not prefetched, and no "
        + "fhirAuthorization to read it)");
  }

  /** The fhirAuthorization token goes only to a FHIR server the client is configured for, never to any URL named. */
  @Test
  void aFhirServerNotConfiguredForTheClientGetsNoRequestAndTheCardSaysNothingWasChecked() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer elsewhere = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    elsewhere.createContext("/", exchange -> {
      asked.incrementAndGet();
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    elsewhere.start();
    try {
      ObjectNode noPrefetch = request("crps-suitable", JSON.createObjectNode(), true);
      noPrefetch.put("fhirServer", "http://localhost:" + elsewhere.getAddress().getPort() + "/fhir");
      noPrefetch.putObject("fhirAuthorization").put("access_token", "a-token").put("token_type", "Bearer")
          .put("expires_in", 300).put("scope", "patient/*.rs").put("subject", "ketamine-advisor");
      JsonNode card = call("ketamine-order-select", noPrefetch, jwt(KEY, "ketamine-order-select")).get("cards").get(0);
      assertThat(card.get("indicator").asText()).isEqualTo("warning");
      assertThat(card.get("summary").asText()).contains("could not be read").contains("not checked");
      assertThat(card.get("detail").asText()).contains("is not a FHIR server this app may read for this EHR");
      assertThat(asked).as("no request, so the token never left").hasValue(0);
    } finally {
      elsewhere.stop(0);
    }
  }

  @Test
  void everyBadJwtIsRefusedWith401AndNoAdvice() throws Exception {
    ObjectNode body = request("crps-suitable", prefetch("crps-suitable"), true);
    String service = "ketamine-order-select";
    assertRefused(service, body, null, "no CDS client JWT");
    assertRefused(service, body, jwt(KEY, service, ISSUER, url("/cds-services/" + service), Instant.now()
        .minusSeconds(600), UUID.randomUUID().toString()), "refused");
    assertRefused(service, body, jwt(KEY, service, ISSUER, "https://elsewhere.example.org/cds-services/" + service,
        Instant.now().plusSeconds(300), UUID.randomUUID().toString()), "refused");
    assertRefused(service, body, jwt(KEY, service, "https://unknown.example.org", url("/cds-services/" + service),
        Instant.now().plusSeconds(300), UUID.randomUUID().toString()), "not an allow-listed CDS client");
    assertRefused(service, body, jwt(STRANGER, service), "refused");
    String once = jwt(KEY, service);
    assertThat(call(service, body, once).get("cards")).hasSize(1);
    assertRefused(service, body, once, "replayed");
  }

  /** The uuid names one card: two cards of the same patient, date and verdict are told apart by feedback. */
  @Test
  void everyCardHasItsOwnUuidAndFeedbackOnEachIsCountedByItsVerdict() throws Exception {
    String service = "ketamine-order-select";
    JsonNode first = call(service, request("crps-suitable", prefetch("crps-suitable"), true), jwt(KEY, service))
        .get("cards").get(0);
    JsonNode second = call(service, request("crps-suitable", prefetch("crps-suitable"), true), jwt(KEY, service))
        .get("cards").get(0);
    String one = first.get("uuid").asText();
    String two = second.get("uuid").asText();
    assertThat(UUID.fromString(one)).isNotEqualTo(UUID.fromString(two));
    assertThat(first.get("summary").asText()).isEqualTo(second.get("summary").asText());

    double suitable = feedbackCount(service, "accepted", "suitable");
    double unknown = feedbackCount(service, "overridden", "unknown-card");
    ObjectNode feedback = JSON.createObjectNode();
    var items = feedback.putArray("feedback");
    items.addObject().put("card", one).put("outcome", "accepted").put("outcomeTimestamp", "2026-06-01T09:00:00Z");
    items.addObject().put("card", two).put("outcome", "accepted").put("outcomeTimestamp", "2026-06-01T09:01:00Z");
    // a card this instance never issued (another instance's, or forgotten): accepted, counted as unknown
    items.addObject().put("card", UUID.randomUUID().toString()).put("outcome", "overridden")
        .put("outcomeTimestamp", "2026-06-01T09:02:00Z");
    HttpResponse<String> response = postFeedback(service, feedback, jwt(KEY, service + "/feedback"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(feedbackCount(service, "accepted", "suitable")).isEqualTo(suitable + 2);
    assertThat(feedbackCount(service, "overridden", "unknown-card")).isEqualTo(unknown + 1);
  }

  /** Bounded: the oldest cards are forgotten first, so a busy instance cannot grow the store without end. */
  @Test
  void theIssuedCardsStoreForgetsTheOldestCardsFirst() {
    IssuedCards store = new IssuedCards(2);
    store.put("a", new IssuedCards.Card("ketamine-order-select", "suitable"));
    store.put("b", new IssuedCards.Card("ketamine-order-select", "contraindicated"));
    store.put("c", new IssuedCards.Card("ketamine-order-sign", "needs-information"));
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.get("a")).isEmpty();
    assertThat(store.get("b")).contains(new IssuedCards.Card("ketamine-order-select", "contraindicated"));
    assertThat(store.get("c").map(IssuedCards.Card::verdict)).contains("needs-information");
  }

  @Test
  void feedbackWithoutAValidJwtIsRefusedWithAChallenge() throws Exception {
    ObjectNode feedback = JSON.createObjectNode();
    feedback.putArray("feedback").addObject().put("card", UUID.randomUUID().toString()).put("outcome", "accepted");
    HttpResponse<String> none = postFeedback("ketamine-order-select", feedback, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"cds-services\"");
    HttpResponse<String> forged = postFeedback("ketamine-order-select", feedback,
        jwt(STRANGER, "ketamine-order-select/feedback"));
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer realm=\"cds-services\", "
        + "error=\"invalid_token\", error_description=\"the JWT was refused");
  }

  /**
   * The prefetch carries no referenced Medication (no _include): the service reads them from fhirServer with the
   * fhirAuthorization token, and the verdict is the one of the same drugs coded inline; without a token the
   * medication rules are unknown, never absent.
   */
  @Test
  void referencedMedicationsAreReadWithTheTokenAndWithoutOneTheMedicationRulesAreUnknown() throws Exception {
    String base = EmbeddedFhirServer.shared().baseUrl();
    ObjectNode prefetch = prefetch("opioid-benzo");
    var parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
    int referenced = 0;
    for (String key : List.of("medicationRequests", "medicationStatements")) {
      for (JsonNode entry : prefetch.get(key).path("entry")) {
        ObjectNode resource = (ObjectNode) entry.get("resource");
        if (resource.has("medicationCodeableConcept")) {
          ObjectNode medication = JSON.createObjectNode().put("resourceType", "Medication");
          medication.set("code", resource.remove("medicationCodeableConcept"));
          String id = EmbeddedFhirServer.shared().client().create()
              .resource(parser.parseResource(medication.toString())).execute().getId().getIdPart();
          resource.putObject("medicationReference").put("reference", "Medication/" + id);
          referenced++;
        }
      }
    }
    assertThat(referenced).as("opioid-benzo's drugs, now referenced").isGreaterThanOrEqualTo(2);

    ObjectNode withToken = request("opioid-benzo", prefetch.deepCopy(), true);
    withToken.put("fhirServer", base);
    withToken.putObject("fhirAuthorization").put("access_token", "a-token").put("token_type", "Bearer")
        .put("expires_in", 300).put("scope", "patient/*.rs").put("subject", "ketamine-advisor");
    JsonNode read = call("ketamine-order-select", withToken, jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    assertThat(read.get("summary").asText())
        .isEqualTo("Ketamine: suitable with precautions — opioid and benzodiazepine: high risk of respiratory depression");

    ObjectNode withoutToken = request("opioid-benzo", prefetch.deepCopy(), true);
    withoutToken.put("fhirServer", base);
    JsonNode blind = call("ketamine-order-select", withoutToken, jwt(KEY, "ketamine-order-select")).get("cards").get(0);
    assertThat(blind.get("indicator").asText()).isEqualTo("warning");
    assertThat(blind.get("summary").asText()).startsWith("Ketamine: needs information — ").contains("medications");
    assertThat(blind.get("detail").asText()).contains("Medication (" + referenced + " referenced Medication "
        + "resource(s) not prefetched (prefetch has no _include), and no fhirAuthorization to read them)");
  }

  @Test
  void feedbackIsRecordedByOutcomeAndReason() throws Exception {
    String service = "ketamine-order-select";
    ObjectNode feedback = JSON.createObjectNode();
    var items = feedback.putArray("feedback");
    items.addObject().put("card", UUID.randomUUID().toString()).put("outcome", "overridden")
        .put("outcomeTimestamp", "2026-06-01T09:00:00Z").putObject("overrideReason").putObject("reason")
        .put("code", "benefit-outweighs-risk").put("system", OverrideReason.SYSTEM);
    // an EHR's own code is counted, but as "other": clients cannot grow the metric without bound
    items.addObject().put("card", UUID.randomUUID().toString()).put("outcome", "overridden")
        .put("outcomeTimestamp", "2026-06-01T09:00:00Z").putObject("overrideReason").putObject("reason")
        .put("code", "patient-insisted-" + UUID.randomUUID()).put("system", "urn:ehr:local-reasons");
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/cds-services/" + service
            + "/feedback"))).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + jwt(KEY, service + "/feedback"))
        .POST(HttpRequest.BodyPublishers.ofString(feedback.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(meters.counter("cds.feedback", "service", service, "outcome", "overridden", "reason",
        "benefit-outweighs-risk").count()).isEqualTo(1.0);
    assertThat(meters.counter("cds.feedback", "service", service, "outcome", "overridden", "reason", "other").count())
        .isEqualTo(1.0);
  }

  @Test
  void browserBasedClientsGetCorsHeaders() throws Exception {
    HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(url("/cds-services/ketamine-order-select")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://ehr.example.org")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ehr.example.org");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("authorization");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private void assertRefused(String service, ObjectNode body, String token, String why) throws Exception {
    HttpResponse<String> response = post(service, body, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.body()).contains(why).doesNotContain("cards");
    // RFC 6750 § 3: every 401 says how to authenticate; with a token, why it was not accepted
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    if (token == null) {
      assertThat(challenge).isEqualTo("Bearer realm=\"cds-services\"");
    } else {
      assertThat(challenge).startsWith("Bearer realm=\"cds-services\", error=\"invalid_token\", error_description=\"")
          .contains(why).matches("[\\x20-\\x7E]+");
    }
  }

  /** Fewer than 140 characters; when cut, the last word before the ellipsis is a whole word of the rules' wording. */
  private static void assertWholeWordsUnder140(String summary) {
    assertThat(summary).hasSizeLessThan(140);
    if (!summary.endsWith("…")) {
      return;
    }
    java.util.Set<String> words = new java.util.HashSet<>();
    for (org.ketamineadvisor.advisor.assessment.RuleId rule : org.ketamineadvisor.advisor.assessment.RuleId.values()) {
      for (String text : List.of(rule.title(), CdsCards.missing(rule))) {
        for (String word : text.split("\\s+")) {
          words.add(word.replaceAll("[;,:]+$", ""));
        }
      }
    }
    String kept = summary.substring(0, summary.length() - 1);
    String last = kept.substring(kept.lastIndexOf(' ') + 1);
    assertThat(words).as("the last word before the ellipsis in \"" + summary + "\"").contains(last);
  }

  private double feedbackCount(String service, String outcome, String verdict) {
    return meters.counter("cds.feedback.verdict", "service", service, "outcome", outcome, "verdict", verdict).count();
  }

  private HttpResponse<String> postFeedback(String service, ObjectNode feedback, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/cds-services/" + service + "/feedback")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(feedback.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode call(String service, ObjectNode body, String token) throws Exception {
    HttpResponse<String> response = post(service, body, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(String service, ObjectNode body, String token) throws IOException,
      InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/cds-services/" + service)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }

  private String jwt(com.nimbusds.jose.jwk.JWK key, String service) {
    return jwt(key, service, ISSUER, url("/cds-services/" + service), Instant.now().plusSeconds(300),
        UUID.randomUUID().toString());
  }

  private static String jwt(com.nimbusds.jose.jwk.JWK key, String service, String issuer, String audience,
      Instant expires, String jti) {
    try {
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("ehr-client").audience(audience)
          .expirationTime(Date.from(expires)).issueTime(Date.from(expires.minusSeconds(300))).jwtID(jti).build();
      boolean rsa = key instanceof RSAKey;
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(rsa ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384)
          .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(rsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An order-select (or order-sign) request for the patient, with a draft ketamine order or a gabapentin one. */
  private static ObjectNode request(String patient, ObjectNode prefetch, boolean ketamine) {
    ObjectNode request = JSON.createObjectNode();
    request.put("hookInstance", UUID.randomUUID().toString()).put("hook", "order-select");
    ObjectNode context = request.putObject("context");
    context.put("userId", "Practitioner/dr-ada").put("patientId", patient);
    context.putArray("selections").add("MedicationRequest/draft-1");
    ObjectNode draft = context.putObject("draftOrders").put("resourceType", "Bundle").put("type", "collection");
    ObjectNode order = draft.putArray("entry").addObject().putObject("resource");
    order.put("resourceType", "MedicationRequest").put("id", "draft-1").put("status", "draft").put("intent", "order");
    order.putObject("subject").put("reference", "Patient/" + patient);
    order.putObject("medicationCodeableConcept").putArray("coding").addObject()
        .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", ketamine ? "6130" : "25480");
    request.set("prefetch", prefetch);
    return request;
  }

  /** The prefetch an EHR would send for a sandbox showcase patient: the Patient and one searchset per type. */
  private static ObjectNode prefetch(String patient) throws IOException {
    var parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
    Bundle file = parser.parseResource(Bundle.class, Files.readString(Path.of("launch/sandbox/" + patient + ".json")));
    Map<String, Bundle> byKey = new LinkedHashMap<>();
    Map<String, String> keys = Map.of("Condition", "conditions", "MedicationRequest", "medicationRequests",
        "MedicationStatement", "medicationStatements", "Observation", "observations", "AllergyIntolerance",
        "allergies", "Medication", "medicationRequests");
    for (String key : List.of("conditions", "medicationRequests", "medicationStatements", "observations", "allergies")) {
      byKey.put(key, new Bundle().setType(Bundle.BundleType.SEARCHSET));
    }
    ObjectNode prefetch = JSON.createObjectNode();
    for (Bundle.BundleEntryComponent e : file.getEntry()) {
      Resource r = e.getResource();
      if (r.fhirType().equals("Patient")) {
        prefetch.set("patient", JSON.readTree(parser.encodeResourceToString(r)));
      } else if (keys.containsKey(r.fhirType())) {
        byKey.get(keys.get(r.fhirType())).addEntry().setFullUrl(e.getFullUrl()).setResource(r);
      }
    }
    for (Map.Entry<String, Bundle> b : byKey.entrySet()) {
      prefetch.set(b.getKey(), JSON.readTree(parser.encodeResourceToString(b.getValue())));
    }
    return prefetch;
  }

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CDS client's public keys, as an EHR publishes them. */
  private static HttpServer jwks() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
      byte[] body = new JWKSet(List.of(KEY.toPublicJWK(), EC_KEY.toPublicJWK())).toString()
          .getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks.json", exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
