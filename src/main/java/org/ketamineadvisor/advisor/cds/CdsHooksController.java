package org.ketamineadvisor.advisor.cds;

import static org.ketamineadvisor.advisor.cds.CdsDiscovery.PATIENT_VIEW;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CDS Hooks 2.0 service (plain Spring MVC with the hooks' small JSON model): discovery, {@code order-select} and
 * {@code order-sign} (a card when the draft orders hold ketamine), {@code patient-view} (when enabled: a card only for
 * a candidate — an active neuropathic pain indication and no contraindication), and feedback. Every hook call carries
 * the CDS client's signed JWT; the record comes from prefetch when complete, else from {@code fhirServer} with the
 * {@code fhirAuthorization} token ({@link HookRecords}); what could not be read makes the card say so.
 */
@RestController
class CdsHooksController {

  private static final Logger log = LoggerFactory.getLogger(CdsHooksController.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final CdsProperties properties;
  private final CdsJwtVerifier verifier;
  private final ValueSetTerminology terminology;
  private final HookRecords records;
  private final CardFeedback feedback;
  /** Today in the clinic's zone, or {@code advisor.pages.as-of} (demonstrations, the sandbox, tests on seed data). */
  private final AssessmentMoment moment;

  CdsHooksController(CdsProperties properties, CdsJwtVerifier verifier, ValueSetTerminology terminology,
      HookRecords records, CardFeedback feedback, AssessmentMoment moment) {
    this.properties = properties;
    this.verifier = verifier;
    this.terminology = terminology;
    this.records = records;
    this.feedback = feedback;
    this.moment = moment;
  }

  @GetMapping(value = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
  ObjectNode discovery() {
    return CdsDiscovery.document(properties.patientView(), terminology);
  }

  @PostMapping(value = "/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JsonNode> hook(@PathVariable("id") String id, @RequestBody(required = false) JsonNode request,
      @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http) {
    if (!CdsDiscovery.offers(id, properties.patientView())) {
      return error(HttpStatus.NOT_FOUND, "no CDS service '" + id + "': see GET /cds-services");
    }
    String client;
    try {
      client = verifier.verify(authorization, serviceUrl(http, id)).getIssuer();
    } catch (CdsJwtVerifier.Refused e) {
      log.warn("CDS hook refused: {}", e.getMessage());
      return unauthorized(authorization, e.getMessage());
    }
    if (request == null || !request.path("context").path("patientId").isTextual()) {
      return error(HttpStatus.BAD_REQUEST, "the hook request needs context.patientId");
    }
    String patientId = request.path("context").path("patientId").asText();
    ObjectNode response = JSON.objectNode();
    var cards = response.putArray("cards");
    if (!PATIENT_VIEW.equals(id) && !DraftOrders.orderKetamine(request.path("context").path("draftOrders"),
        terminology)) {
      return ResponseEntity.ok(response);
    }
    HookRecords.Assessed record = records.assess(request, patientId, client, moment.today());
    if (record.assessed() == null) {
      ObjectNode card = CdsCards.notChecked(record.unread());
      cards.add(card);
      feedback.remember(id, card.path("uuid").asText(), CdsCards.NOT_CHECKED);
      return ResponseEntity.ok(response);
    }
    Assessment assessment = record.assessed().assessment();
    if (PATIENT_VIEW.equals(id) && !candidate(assessment)) {
      return ResponseEntity.ok(response);
    }
    ObjectNode card = CdsCards.card(assessment, PATIENT_VIEW.equals(id) ? CdsCards.CANDIDATE_LEAD : CdsCards.LEAD,
        baseUrl(http) + "/launch", record.unread());
    cards.add(card);
    feedback.issued(id, card, assessment.verdict().code());
    return ResponseEntity.ok(response);
  }

  /** Patient-view's card is for a candidate only: an active neuropathic pain indication and no contraindication. */
  private static boolean candidate(Assessment assessment) {
    return assessment.outcome(RuleId.IND_NEUROPATHIC) == Outcome.MET
        && assessment.verdict() != Verdict.CONTRAINDICATED && assessment.verdict() != Verdict.NOT_INDICATED;
  }

  /** Feedback on a card (accepted / overridden, with the override reason), counted for the site; no patient data. */
  @PostMapping(value = "/cds-services/{id}/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JsonNode> feedback(@PathVariable("id") String id, @RequestBody(required = false) JsonNode body,
      @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http) {
    try {
      verifier.verify(authorization, serviceUrl(http, id) + "/feedback");
    } catch (CdsJwtVerifier.Refused e) {
      return unauthorized(authorization, e.getMessage());
    }
    if (body == null || !body.path("feedback").isArray()) {
      return error(HttpStatus.BAD_REQUEST, "feedback needs a 'feedback' array");
    }
    String refused = feedback.record(id, body.path("feedback"));
    return refused != null ? error(HttpStatus.BAD_REQUEST, refused) : ResponseEntity.ok(JSON.objectNode());
  }

  /** The service's own URL, as the client addressed it: the JWT's aud must be exactly this. */
  private String serviceUrl(HttpServletRequest http, String id) {
    return baseUrl(http) + "/cds-services/" + id;
  }

  /** The app's base URL: {@code advisor.cds.public-base-url}, else as the request reached it. */
  private String baseUrl(HttpServletRequest http) {
    if (properties.publicBaseUrl() != null) {
      return properties.publicBaseUrl().toString().replaceAll("/$", "");
    }
    String scheme = http.getScheme();
    int port = http.getServerPort();
    boolean defaultPort = "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
    return scheme + "://" + http.getServerName() + (defaultPort ? "" : ":" + port) + http.getContextPath();
  }

  /**
   * 401 with the RFC 6750 challenge: without a bearer token only the realm, otherwise {@code invalid_token} and why
   * (in the header's allowed characters; the body says it in full).
   */
  private static ResponseEntity<JsonNode> unauthorized(String authorization, String message) {
    String challenge = "Bearer realm=\"cds-services\"";
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String description = message.replace('—', '-').replaceAll("[^\\x20-\\x7E]", "?").replace("\\", "/")
          .replace('"', '\'');
      challenge += ", error=\"invalid_token\", error_description=\"" + description + "\"";
    }
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .body(JSON.objectNode().put("error", message));
  }

  private static ResponseEntity<JsonNode> error(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(JSON.objectNode().put("error", message));
  }
}
