package org.ketamineadvisor.advisor.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemInteractionComponent;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection.RequestTally;

/**
 * Reads a server's CapabilityStatement ({@code /metadata}, once per base URL, then cached) and its
 * SMART configuration when present, and tells for each {@link ServerNeed} whether the server supports it.
 * A resource that declares search parameters must declare the ones the app uses; one that declares
 * none is taken at its word for {@code search-type} (many servers list only some parameters).
 */
public final class CapabilityCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirContext ctx;
  private final FhirClientSettings settings;
  private final Map<String, ServerCapabilities> cache = new ConcurrentHashMap<>();

  public CapabilityCheck(FhirContext ctx, FhirClientSettings settings) {
    this.ctx = ctx;
    this.settings = settings;
  }

  /**
   * The server's capabilities, read on the first call for this base URL.
   *
   * @throws FhirServerException when {@code /metadata} cannot be read (after retries)
   */
  public ServerCapabilities check(String baseUrl) {
    String key = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return cache.computeIfAbsent(key, this::load);
  }

  private ServerCapabilities load(String baseUrl) {
    try (FhirServerConnection connection = new FhirServerConnection(ctx, baseUrl, settings)) {
      RequestTally tally = new RequestTally();
      ReadRetries retries = new ReadRetries(settings, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
      CapabilityStatement statement;
      try {
        statement = retries.call(tally, () -> connection.client(tally).capabilities()
            .ofType(CapabilityStatement.class).execute());
      } catch (ReadFailure e) {
        throw new FhirServerException("could not read the CapabilityStatement of " + baseUrl + "/metadata: "
            + e.getMessage() + "; check the URL and that the server is up");
      }
      return new ServerCapabilities(baseUrl, software(statement), statement.hasFhirVersion()
          ? statement.getFhirVersion().toCode() : "unknown", supported(statement), smart(baseUrl).orElse(null));
    }
  }

  public static Map<ServerNeed, Boolean> supported(CapabilityStatement statement) {
    Map<ServerNeed, Boolean> out = new EnumMap<>(ServerNeed.class);
    CapabilityStatementRestComponent rest = statement.getRest().stream()
        .filter(r -> r.getMode() == null || "server".equals(r.getMode().toCode())).findFirst().orElse(null);
    if (rest == null) {
      return out;
    }
    Map<String, CapabilityStatementRestResourceComponent> byType = rest.getResource().stream()
        .collect(Collectors.toMap(CapabilityStatementRestResourceComponent::getType, r -> r, (a, b) -> a));
    out.put(ServerNeed.READ_PATIENT, has(byType.get("Patient"), "read"));
    out.put(ServerNeed.SEARCH_CONDITION, searchable(byType.get("Condition"), "patient"));
    out.put(ServerNeed.SEARCH_MEDICATION_STATEMENT, searchable(byType.get("MedicationStatement"), "patient"));
    out.put(ServerNeed.SEARCH_MEDICATION_REQUEST, searchable(byType.get("MedicationRequest"), "patient"));
    out.put(ServerNeed.INCLUDE_MEDICATION, includes(byType.get("MedicationRequest"), "MedicationRequest:medication")
        && includes(byType.get("MedicationStatement"), "MedicationStatement:medication"));
    out.put(ServerNeed.SEARCH_OBSERVATION, searchable(byType.get("Observation"), "patient", "code", "date"));
    out.put(ServerNeed.SEARCH_ALLERGY, searchable(byType.get("AllergyIntolerance"), "patient"));
    out.put(ServerNeed.TRANSACTION, rest.getInteraction().stream().map(SystemInteractionComponent::getCode)
        .anyMatch(code -> code != null && "transaction".equals(code.toCode())));
    out.put(ServerNeed.CREATE_RISK_ASSESSMENT, has(byType.get("RiskAssessment"), "create"));
    out.put(ServerNeed.CREATE_CARE_PLAN, has(byType.get("CarePlan"), "create"));
    out.put(ServerNeed.CREATE_PROVENANCE, has(byType.get("Provenance"), "create"));
    out.put(ServerNeed.CONDITIONAL_CREATE, conditionalCreate(byType.get("RiskAssessment"))
        && conditionalCreate(byType.get("CarePlan")) && conditionalCreate(byType.get("Provenance")));
    CapabilityStatementRestResourceComponent carePlan = byType.get("CarePlan");
    out.put(ServerNeed.UPDATE_CARE_PLAN, has(carePlan, "update") && carePlan.hasVersioning()
        && carePlan.getVersioning() != CapabilityStatement.ResourceVersionPolicy.NOVERSION);
    return out;
  }

  private static boolean has(CapabilityStatementRestResourceComponent resource, String interaction) {
    return resource != null && resource.getInteraction().stream().map(ResourceInteractionComponent::getCode)
        .anyMatch(code -> code != null && interaction.equals(code.toCode()));
  }

  private static boolean searchable(CapabilityStatementRestResourceComponent resource, String... params) {
    if (!has(resource, "search-type")) {
      return false;
    }
    if (resource.getSearchParam().isEmpty()) {
      return true;
    }
    Set<String> declared = resource.getSearchParam().stream().map(p -> p.getName()).collect(Collectors.toSet());
    return declared.containsAll(List.of(params));
  }

  private static boolean includes(CapabilityStatementRestResourceComponent resource, String include) {
    return resource != null && resource.getSearchInclude().stream()
        .anyMatch(s -> include.equals(s.getValue()) || "*".equals(s.getValue()));
  }

  private static boolean conditionalCreate(CapabilityStatementRestResourceComponent resource) {
    return resource != null && resource.getConditionalCreate();
  }

  private static String software(CapabilityStatement statement) {
    if (!statement.hasSoftware()) {
      return "unnamed";
    }
    return (statement.getSoftware().getName() + " " + Optional.ofNullable(statement.getSoftware().getVersion())
        .orElse("")).strip();
  }

  /** {@code .well-known/smart-configuration}; empty when absent or unreadable (it is optional). */
  private Optional<ServerCapabilities.SmartConfiguration> smart(String baseUrl) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/.well-known/smart-configuration"))
        .timeout(settings.socketTimeout()).header("Accept", "application/json");
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(response.body());
      List<String> capabilities = new ArrayList<>();
      json.path("capabilities").forEach(c -> capabilities.add(c.asText()));
      return Optional.of(new ServerCapabilities.SmartConfiguration(json.path("authorization_endpoint").asText(null),
          json.path("token_endpoint").asText(null), capabilities));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
