package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The readable text of an OperationOutcome (each issue's diagnostics, else its details text), for stderr. References
 * such as {@code Patient/123} are shortened to {@code Patient/…}: stderr never shows a patient's id.
 */
final class OutcomeText {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_LENGTH = 300;

  private OutcomeText() {}

  /** The issues' texts; empty when the body is not an OperationOutcome. */
  static List<String> issues(String body) {
    try {
      return issues(JSON.readTree(body));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  static List<String> issues(JsonNode outcome) {
    List<String> texts = new ArrayList<>();
    if (outcome == null || !"OperationOutcome".equals(outcome.path("resourceType").asText())) {
      return texts;
    }
    for (JsonNode issue : outcome.path("issue")) {
      String text = issue.path("diagnostics").asText("");
      if (text.isBlank()) {
        text = issue.path("details").path("text").asText("");
      }
      if (text.isBlank()) {
        text = issue.path("code").asText("");
      }
      if (!text.isBlank()) {
        texts.add(redact(text));
      }
    }
    return texts;
  }

  /**
   * Whether the body is an OperationOutcome with an issue coded {@code transient} (or one of its children such as
   * {@code lock-error}, {@code no-store}, {@code exception}, {@code timeout}, {@code throttled}): Bulk Data 2.0 asks
   * a server to answer a polling failure that does not end the job so, and the client to ask again later.
   */
  static boolean isTransient(String body) {
    try {
      JsonNode outcome = JSON.readTree(body);
      if (outcome == null || !"OperationOutcome".equals(outcome.path("resourceType").asText())) {
        return false;
      }
      for (JsonNode issue : outcome.path("issue")) {
        if (TRANSIENT_CODES.contains(issue.path("code").asText(""))) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** {@code transient} and its children in the IssueType code system. */
  private static final java.util.Set<String> TRANSIENT_CODES = java.util.Set.of("transient", "lock-error", "no-store",
      "exception", "timeout", "incomplete", "throttled");

  /** One line for a refusal: the issues' texts, or the start of a body that is not an OperationOutcome. */
  static String summary(String body) {
    List<String> issues = issues(body);
    if (!issues.isEmpty()) {
      return String.join("; ", issues);
    }
    return body == null || body.isBlank() ? "no explanation given" : "no OperationOutcome given";
  }

  static String redact(String text) {
    String oneLine = text.replaceAll("[\\r\\n\\t]+", " ")
        .replaceAll("\\b([A-Z][A-Za-z]+)/[A-Za-z0-9\\-.]{1,64}", "$1/…");
    return oneLine.length() > MAX_LENGTH ? oneLine.substring(0, MAX_LENGTH) + "…" : oneLine;
  }
}
