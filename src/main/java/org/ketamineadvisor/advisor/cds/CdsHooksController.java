package org.ketamineadvisor.advisor.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
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
 * {@code fhirAuthorization} token (never without it); what could not be read makes the card say so.
 */
@RestController
class CdsHooksController {

  static final String ORDER_SELECT = "ketamine-order-select";
  static final String ORDER_SIGN = "ketamine-order-sign";
  static final String PATIENT_VIEW = "ketamine-patient-view";
  private static final Logger log = LoggerFactory.getLogger(CdsHooksController.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  /** Prefetch key → the resource type the rules read from it. */
  private static final Map<String, String> PREFETCH_TYPES = new LinkedHashMap<>();

  static {
    PREFETCH_TYPES.put("patient", "Patient");
    PREFETCH_TYPES.put("conditions", "Condition");
    PREFETCH_TYPES.put("medicationRequests", "MedicationRequest");
    PREFETCH_TYPES.put("medicationStatements", "MedicationStatement");
    PREFETCH_TYPES.put("observations", "Observation");
    PREFETCH_TYPES.put("allergies", "AllergyIntolerance");
  }

  private final CdsProperties properties;
  private final CdsJwtVerifier verifier;
  private final ValueSetTerminology terminology;
  private final PatientAssessor assessor;
  private final MeterRegistry meters;
  private final Clock clock;
  private final org.ketamineadvisor.advisor.fhir.server.FhirConnections connections;
  /** The SMART allow-list: by default, the FHIR servers a CDS client's request may have read. */
  private final org.ketamineadvisor.advisor.launch.LaunchProperties launch;
  /** The FHIR servers' capabilities, read once per server. */
  private final CapabilityCheck capabilities;

  /** The cards this instance issued, by uuid, so that feedback can say what a card was about. */
  private final IssuedCards issued = new IssuedCards(IssuedCards.DEFAULT_CAPACITY);

  /** Fixed by {@code advisor.pages.as-of} (demonstrations, the sandbox, tests on seed data), else today. */
  private final LocalDate asOf;

  CdsHooksController(CdsProperties properties, ValueSetTerminology terminology, UcumUnitConverter units,
      org.ketamineadvisor.advisor.careplan.SiteSettings site, MeterRegistry meters, Clock clock,
      org.springframework.core.env.Environment environment,
      org.springframework.beans.factory.ObjectProvider<org.springframework.data.redis.core.StringRedisTemplate> redis,
      org.ketamineadvisor.advisor.fhir.server.FhirConnections connections,
      org.ketamineadvisor.advisor.launch.LaunchProperties launch) {
    String fixed = environment.getProperty("advisor.pages.as-of");
    this.asOf = fixed == null || fixed.isBlank() ? null : LocalDate.parse(fixed.strip());
    this.properties = properties;
    // with the shared session store (several instances), replayed jti values are refused across instances
    this.verifier = new CdsJwtVerifier(properties, clock, redis.getIfAvailable());
    this.terminology = terminology;
    this.assessor = PatientAssessor.withDefaultRules(terminology, units, site);
    this.meters = meters;
    this.clock = clock;
    this.connections = connections;
    this.launch = launch;
    this.capabilities = new CapabilityCheck(FHIR, FhirClientSettings.defaults());
  }

  @GetMapping(value = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
  ObjectNode discovery() {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode services = body.putArray("services");
    service(services, "order-select", ORDER_SELECT, "Ketamine infusion suitability (order select)",
        "When a ketamine order is drafted: whether a course of IV ketamine for neuropathic pain is suitable for the "
            + "patient, with contraindications, interactions and missing data.");
    service(services, "order-sign", ORDER_SIGN, "Ketamine infusion suitability (order sign)",
        "Before a ketamine order is signed: the same check as at order select.");
    if (properties.patientView()) {
      service(services, "patient-view", PATIENT_VIEW, "Candidate for a ketamine infusion course",
          "A card only for a patient with an active neuropathic pain indication and no contraindication.");
    }
    return body;
  }

  private void service(ArrayNode services, String hook, String id, String title, String description) {
    ObjectNode s = services.addObject().put("hook", hook).put("id", id).put("title", title)
        .put("description", description);
    ObjectNode prefetch = s.putObject("prefetch");
    prefetch.put("patient", "Patient/{{context.patientId}}");
    prefetch.put("conditions", "Condition?patient={{context.patientId}}");
    // the specification's recommended prefetch subset has no _include: a referenced Medication is read afterwards
    // from fhirServer with fhirAuthorization (withReferencedMedications), or the medication rules stay unknown
    prefetch.put("medicationRequests", "MedicationRequest?patient={{context.patientId}}");
    prefetch.put("medicationStatements", "MedicationStatement?patient={{context.patientId}}");
    TreeSet<String> codes = new TreeSet<>(terminology.codes(ValueSetId.OBSERVATION_CODES, "http://loinc.org"));
    codes.addAll(terminology.codes(ValueSetId.HCG_TESTS, "http://loinc.org"));
    prefetch.put("observations", "Observation?patient={{context.patientId}}&code="
        + String.join(",", codes.stream().map(c -> "http://loinc.org|" + c).toList()));
    prefetch.put("allergies", "AllergyIntolerance?patient={{context.patientId}}");
  }

  @PostMapping(value = "/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JsonNode> hook(@PathVariable("id") String id, @RequestBody(required = false) JsonNode request,
      @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http) {
    boolean known = ORDER_SELECT.equals(id) || ORDER_SIGN.equals(id) || PATIENT_VIEW.equals(id) && properties.patientView();
    if (!known) {
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
    ObjectNode response = JSON.createObjectNode();
    ArrayNode cards = response.putArray("cards");
    if (!PATIENT_VIEW.equals(id) && !draftsKetamine(request.path("context").path("draftOrders"))) {
      return ResponseEntity.ok(response);
    }
    ReadRecord record = record(request, patientId, client);
    if (record.resources() == null) {
      String uuid = java.util.UUID.randomUUID().toString();
      issued.put(uuid, new IssuedCards.Card(id, "not-checked"));
      cards.addObject().put("uuid", uuid)
          .put("summary", "Ketamine: the patient's record could not be read — suitability not checked")
          .put("indicator", "warning").put("detail", String.join("; ", record.unread()))
          .putObject("source").put("label", "Ketamine Infusion Advisor");
      return ResponseEntity.ok(response);
    }
    LocalDate today = today();
    AssessedPatient assessed = assessor.assess(record.resources(), record.problems(), today, List.of(),
        PlanRequest.defaults());
    var assessment = assessed.assessment();
    if (PATIENT_VIEW.equals(id)) {
      boolean candidate = assessment.outcome(RuleId.IND_NEUROPATHIC) == Outcome.MET
          && assessment.verdict() != Verdict.CONTRAINDICATED && assessment.verdict() != Verdict.NOT_INDICATED;
      if (!candidate) {
        return ResponseEntity.ok(response);
      }
    }
    String launch = (properties.publicBaseUrl() != null ? properties.publicBaseUrl().toString().replaceAll("/$", "")
        : base(http)) + "/launch";
    ObjectNode card = CdsCards.card(assessment, launch, record.unread());
    if (PATIENT_VIEW.equals(id)) {
      card.put("summary", CdsCards.summary(assessment, "Candidate for a ketamine infusion course — "));
    }
    cards.add(card);
    issued.put(card.path("uuid").asText(), new IssuedCards.Card(id, assessment.verdict().code()));
    meters.counter("cds.cards", "service", id, "indicator", card.path("indicator").asText()).increment();
    return ResponseEntity.ok(response);
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
    for (JsonNode f : body.path("feedback")) {
      String outcome = f.path("outcome").asText("unknown");
      if (!"accepted".equals(outcome) && !"overridden".equals(outcome)) {
        return error(HttpStatus.BAD_REQUEST, "feedback outcome must be 'accepted' or 'overridden', got '" + outcome + "'");
      }
      JsonNode coding = f.path("overrideReason").path("reason");
      // counted by the app's own codes only: a client's free codes would grow the metric without bound
      String reason = coding.isMissingNode() ? "none" : OverrideReason.of(coding.path("system").asText(null),
          coding.path("code").asText(null)).map(OverrideReason::code).orElse("other");
      meters.counter("cds.feedback", "service", id, "outcome", outcome, "reason", reason).increment();
      // the card's uuid is random: what it was about is looked up among the cards this instance issued
      String card = f.path("card").asText("");
      String verdict = issued.get(card).map(IssuedCards.Card::verdict).orElse("unknown-card");
      meters.counter("cds.feedback.verdict", "service", id, "outcome", outcome, "verdict", verdict).increment();
      log.info("CDS feedback on {} card {} ({}): {} (override reason {})", id, card, verdict, outcome, reason);
    }
    return ResponseEntity.ok(JSON.createObjectNode());
  }

  /** Whether a draft MedicationRequest orders ketamine (the ketamine value set, by code or by a Medication's code or ingredient). */
  boolean draftsKetamine(JsonNode draftOrders) {
    if (draftOrders == null || draftOrders.isMissingNode() || draftOrders.isNull()) {
      return false;
    }
    Bundle bundle;
    try {
      bundle = FHIR.newJsonParser().parseResource(Bundle.class, draftOrders.toString());
    } catch (RuntimeException e) {
      return false;
    }
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (e.getResource() instanceof MedicationRequest mr) {
        if (mr.hasMedicationCodeableConcept() && isKetamine(mr.getMedicationCodeableConcept())) {
          return true;
        }
        for (Resource contained : mr.getContained()) {
          if (contained instanceof org.hl7.fhir.r4.model.Medication m && medicationIsKetamine(m)) {
            return true;
          }
        }
      } else if (e.getResource() instanceof org.hl7.fhir.r4.model.Medication m && medicationIsKetamine(m)) {
        return true;
      }
    }
    return false;
  }

  private boolean medicationIsKetamine(org.hl7.fhir.r4.model.Medication m) {
    if (m.hasCode() && isKetamine(m.getCode())) {
      return true;
    }
    return m.getIngredient().stream().anyMatch(i -> i.hasItemCodeableConcept() && isKetamine(i.getItemCodeableConcept()));
  }

  private boolean isKetamine(org.hl7.fhir.r4.model.CodeableConcept cc) {
    List<org.ketamineadvisor.advisor.terminology.Code> codes = cc.getCoding().stream()
        .map(c -> new org.ketamineadvisor.advisor.terminology.Code(c.getSystem(), c.getCode(), c.getDisplay())).toList();
    return terminology.contains(ValueSetId.KETAMINE, new Concept(codes, cc.getText()));
  }

  /** The record from prefetch, or read from fhirServer when prefetch is incomplete; what could not be read. */
  private record ReadRecord(PatientResources resources, List<ReadProblem> problems, List<String> unread) {}

  private ReadRecord record(JsonNode request, String patientId, String client) {
    JsonNode prefetch = request.path("prefetch");
    List<String> missing = new ArrayList<>();
    PREFETCH_TYPES.forEach((key, type) -> {
      if (!prefetch.has(key) || prefetch.get(key).isNull()) {
        missing.add(key);
      }
    });
    if (missing.isEmpty()) {
      return withReferencedMedications(fromPrefetch(prefetch, patientId), request, client);
    }
    String fhirServer = request.path("fhirServer").asText(null);
    String token = request.path("fhirAuthorization").path("access_token").asText(null);
    if (fhirServer == null || token == null || token.isBlank()) {
      // never a falsely clean card: what prefetch lacked is unread, and the rules that need it are unknown
      List<String> unread = new ArrayList<>();
      missing.forEach(k -> unread.add(PREFETCH_TYPES.get(k) + " (not prefetched, and no fhirAuthorization to read it)"));
      if (missing.contains("patient")) {
        return new ReadRecord(null, List.of(), unread);
      }
      ReadRecord partial = withReferencedMedications(fromPrefetch(prefetch, patientId), request, client);
      List<ReadProblem> problems = new ArrayList<>(partial.problems());
      missing.forEach(k -> problems.add(new ReadProblem(PREFETCH_TYPES.get(k), "not prefetched and not readable "
          + "without fhirAuthorization")));
      unread.addAll(partial.unread());
      return new ReadRecord(partial.resources(), problems, unread);
    }
    if (!readable(client, fhirServer)) {
      // the token goes only to a server this client is known to front: never to a URL a request names
      log.warn("CDS hook: fhirServer is not one this app may read for client {}", client);
      return new ReadRecord(null, List.of(), List.of("the record was not prefetched, and " + fhirServer
          + " is not a FHIR server this app may read for this EHR (advisor.cds.clients[n].fhir-servers)"));
    }
    try (FhirServerReader reader = connections.reader(fhirServer, token, terminology,
        capabilities.check(fhirServer))) {
      PatientRead read = reader.read(patientId, today());
      List<String> unread = read.problems().stream().map(p -> p.resourceType() + " (" + p.reason() + ")").toList();
      return new ReadRecord(read.resources(), read.problems(), unread);
    } catch (FhirServerException | IllegalArgumentException e) {
      return new ReadRecord(null, List.of(), List.of("the record on " + fhirServer + " could not be read: " + e.getMessage()));
    }
  }

  /**
   * The prefetched record with the Medications its MedicationRequests and MedicationStatements reference (not
   * contained, not prefetched), read from {@code fhirServer} with {@code fhirAuthorization}: the prefetch templates
   * stay within the specification's recommended queries, which have no {@code _include}. A Medication that cannot be
   * read is a read problem, so the medication rules are unknown rather than falsely absent.
   */
  private ReadRecord withReferencedMedications(ReadRecord prefetched, JsonNode request, String client) {
    if (prefetched.resources() == null) {
      return prefetched;
    }
    List<Resource> resources = new ArrayList<>(prefetched.resources().resources());
    java.util.Set<String> held = new java.util.HashSet<>();
    resources.stream().filter(r -> r instanceof org.hl7.fhir.r4.model.Medication)
        .forEach(r -> held.add(r.getIdElement().getIdPart()));
    String fhirServer = request.path("fhirServer").asText(null);
    String server = fhirServer == null ? null : fhirServer.replaceAll("/+$", "");
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
    int unreadable = 0;
    for (Resource r : resources) {
      org.hl7.fhir.r4.model.Type medication = r instanceof MedicationRequest mr ? mr.getMedication()
          : r instanceof org.hl7.fhir.r4.model.MedicationStatement ms ? ms.getMedication() : null;
      if (!(medication instanceof org.hl7.fhir.r4.model.Reference ref) || !ref.hasReference()
          || ref.getReference().startsWith("#")) {
        continue;
      }
      String id = medicationId(ref.getReference(), server);
      if (id == null) {
        unreadable++; // urn:uuid or another server's URL: nothing this service can read
      } else if (!held.contains(id)) {
        wanted.add(id);
      }
    }
    if (wanted.isEmpty() && unreadable == 0) {
      return prefetched;
    }
    String token = request.path("fhirAuthorization").path("access_token").asText(null);
    String why;
    if (wanted.isEmpty()) {
      why = "not in the prefetch and not on " + (server == null ? "the EHR's FHIR server" : server);
    } else if (server == null || token == null || token.isBlank()) {
      why = "not prefetched (prefetch has no _include), and no fhirAuthorization to read them";
    } else if (!readable(client, server)) {
      why = "not prefetched, and " + server + " is not a FHIR server this app may read for this EHR";
    } else {
      why = "could not be read from " + server;
      try (FhirServerReader reader = connections.reader(server, token, terminology, capabilities.check(server))) {
        for (org.hl7.fhir.r4.model.Medication m : reader.readMedications(wanted)) {
          if (wanted.remove(m.getIdElement().getIdPart())) {
            resources.add(m);
          }
        }
      } catch (FhirServerException | IllegalArgumentException e) {
        why = "could not be read (" + e.getMessage() + ")";
      }
    }
    PatientResources prior = prefetched.resources();
    PatientResources completed = new PatientResources(prior.patientId(), prior.patient(), resources, null,
        prior.source());
    int missing = wanted.size() + unreadable;
    if (missing == 0) {
      return new ReadRecord(completed, prefetched.problems(), prefetched.unread());
    }
    ReadProblem problem = new ReadProblem("Medication", missing + " referenced Medication resource(s) " + why);
    List<ReadProblem> problems = new ArrayList<>(prefetched.problems());
    problems.add(problem);
    List<String> unread = new ArrayList<>(prefetched.unread());
    unread.add("Medication (" + problem.reason() + ")");
    return new ReadRecord(completed, problems, unread);
  }

  /** The id of a Medication reference relative to, or on, {@code server}; null for anything else. */
  private static String medicationId(String reference, String server) {
    String ref = reference.trim();
    if (server != null && ref.startsWith(server + "/")) {
      ref = ref.substring(server.length() + 1);
    }
    java.util.regex.Matcher m = MEDICATION_REFERENCE.matcher(ref);
    return m.matches() ? m.group(1) : null;
  }

  private static final java.util.regex.Pattern MEDICATION_REFERENCE =
      java.util.regex.Pattern.compile("Medication/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?");

  /** Whether {@code fhirServer} is one of the client's FHIR servers (by default the SMART allow-list's issuers). */
  private boolean readable(String client, String fhirServer) {
    String server = fhirServer.replaceAll("/+$", "");
    List<URI> allowed = properties.clients().stream().filter(c -> c.issuer().equals(client)).findFirst()
        .map(CdsProperties.Client::fhirServers).filter(list -> !list.isEmpty())
        .orElse(launch.ehrs().stream().map(org.ketamineadvisor.advisor.launch.EhrRegistration::issuer).toList());
    return allowed.stream().anyMatch(uri -> uri.toString().equals(server));
  }

  private ReadRecord fromPrefetch(JsonNode prefetch, String patientId) {
    Patient patient = null;
    List<Resource> resources = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : PREFETCH_TYPES.entrySet()) {
      JsonNode node = prefetch.get(e.getKey());
      if (node == null || node.isNull()) {
        continue;
      }
      try {
        Resource parsed = (Resource) FHIR.newJsonParser().parseResource(node.toString());
        if (parsed instanceof Patient p) {
          patient = p;
        } else if (parsed instanceof Bundle b) {
          b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null)
              .forEach(resources::add);
        } else {
          resources.add(parsed);
        }
      } catch (RuntimeException bad) {
        problems.add(new ReadProblem(e.getValue(), "the prefetched " + e.getKey() + " could not be parsed"));
      }
    }
    if (patient == null) {
      return new ReadRecord(null, problems, List.of("the prefetched Patient could not be read"));
    }
    return new ReadRecord(new PatientResources(patientId, patient, resources, null, "CDS Hooks prefetch"), problems,
        problems.stream().map(p -> p.resourceType() + " (" + p.reason() + ")").toList());
  }

  private LocalDate today() {
    return asOf != null ? asOf : LocalDate.now(clock);
  }

  /** The service's own URL, as the client addressed it: the JWT's aud must be exactly this. */
  private String serviceUrl(HttpServletRequest http, String id) {
    String base = properties.publicBaseUrl() != null ? properties.publicBaseUrl().toString().replaceAll("/$", "")
        : base(http);
    return base + "/cds-services/" + id;
  }

  private static String base(HttpServletRequest http) {
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
        .body(JSON.createObjectNode().put("error", message));
  }

  private static ResponseEntity<JsonNode> error(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(JSON.createObjectNode().put("error", message));
  }
}
