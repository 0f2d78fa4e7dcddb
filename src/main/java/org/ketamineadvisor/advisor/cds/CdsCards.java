package org.ketamineadvisor.advisor.cds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.fhir.Canonicals;

/**
 * The card for an assessed patient (CDS Hooks 2.0): indicator by verdict (contraindicated critical; not-indicated,
 * needs-information and suitable-with-precautions warning; suitable info), a summary of at most 140 characters with
 * the verdict and the deciding reason, a detail listing contraindications, interactions (opioid with benzodiazepine
 * named) and what is missing or could not be checked, the rule set as source, a SMART link that launches the full
 * page, and override reasons for a contraindication.
 */
final class CdsCards {

  static final int MAX_SUMMARY = 140;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CdsCards() {}

  /** The card; {@code launchUrl} the app's SMART launch URL for the EHR to open with its launch context. */
  static ObjectNode card(Assessment a, String launchUrl, List<String> unread) {
    ObjectNode card = JSON.objectNode();
    card.put("uuid", uuid(a));
    card.put("summary", summary(a));
    card.put("indicator", indicator(a.verdict()));
    card.put("detail", detail(a, unread));
    ObjectNode source = card.putObject("source");
    source.put("label", "Ketamine Infusion Advisor, rule set v" + Canonicals.RULE_SET_VERSION);
    source.put("url", Canonicals.BASE + "/rules/" + Canonicals.RULE_SET_VERSION);
    ArrayNode links = card.putArray("links");
    links.addObject().put("label", "Open the ketamine infusion assessment").put("url", launchUrl).put("type", "smart");
    if (a.verdict() == Verdict.CONTRAINDICATED) {
      ArrayNode reasons = card.putArray("overrideReasons");
      for (OverrideReason reason : OverrideReason.values()) {
        reasons.addObject().put("code", reason.code()).put("system", OverrideReason.SYSTEM)
            .put("display", reason.display());
      }
    }
    return card;
  }

  static String indicator(Verdict verdict) {
    return switch (verdict) {
      case CONTRAINDICATED -> "critical";
      case SUITABLE -> "info";
      default -> "warning";
    };
  }

  /** "Ketamine: contraindicated — Psychotic disorder (active or history)", at most 140 characters. */
  static String summary(Assessment a) {
    String verdict = switch (a.verdict()) {
      case CONTRAINDICATED -> "contraindicated";
      case NOT_INDICATED -> "not indicated";
      case NEEDS_INFORMATION -> "needs information";
      case SUITABLE_WITH_PRECAUTIONS -> "suitable with precautions";
      case SUITABLE -> "suitable for an IV course";
    };
    String reason = deciding(a);
    String text = "Ketamine: " + verdict + (reason == null ? "" : " — " + reason);
    return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 1) + "…";
  }

  private static String deciding(Assessment a) {
    List<String> titles = new ArrayList<>();
    for (Finding f : a.decidingFindings()) {
      titles.add(a.verdict() == Verdict.NEEDS_INFORMATION ? "missing: " + f.rule().title() : f.rule().title());
    }
    if (a.verdict() == Verdict.SUITABLE_WITH_PRECAUTIONS && a.outcome(RuleId.INT_OPIOID) == Outcome.MET
        && a.outcome(RuleId.INT_BENZODIAZEPINE) == Outcome.MET) {
      return "opioid and benzodiazepine: high risk of respiratory depression";
    }
    return titles.isEmpty() ? null : String.join("; ", titles);
  }

  /** Markdown: contraindications, precautions and interactions, what is missing, and what could not be read. */
  static String detail(Assessment a, List<String> unread) {
    StringBuilder md = new StringBuilder();
    section(md, "Contraindications", a, f -> f.rule().category() == RuleId.Category.CONTRAINDICATION
        && f.outcome() == Outcome.MET);
    section(md, "Precautions and interactions", a, f -> (f.rule().category() == RuleId.Category.PRECAUTION
        || f.rule().category() == RuleId.Category.INTERACTION) && f.outcome() == Outcome.MET);
    if (a.outcome(RuleId.INT_OPIOID) == Outcome.MET && a.outcome(RuleId.INT_BENZODIAZEPINE) == Outcome.MET) {
      md.append("**An opioid and a benzodiazepine are both current**: additive sedation and respiratory depression "
          + "(capnography and continuous SpO2 during infusions).\n\n");
    }
    section(md, "Missing or could not be checked", a, f -> f.outcome() == Outcome.UNKNOWN);
    if (!unread.isEmpty()) {
      md.append("**Not read**: ").append(String.join("; ", unread)).append(" — the rules that need them are unknown, "
          + "not absent.\n\n");
    }
    if (md.length() == 0) {
      md.append("No contraindication, precaution, interaction or missing information among the rules screened.\n\n");
    }
    md.append("Open the assessment for the evidence, the proposed course and the infusion order.");
    return md.toString();
  }

  private static void section(StringBuilder md, String heading, Assessment a,
      java.util.function.Predicate<Finding> which) {
    List<Finding> found = a.findings().stream().filter(which).toList();
    if (found.isEmpty()) {
      return;
    }
    md.append("**").append(heading).append("**\n\n");
    for (Finding f : found) {
      md.append("- ").append(f.rule().title());
      if (f.detail() != null && !f.detail().isBlank()) {
        md.append(": ").append(f.detail().replace("\n", " "));
      }
      md.append('\n');
    }
    md.append('\n');
  }

  /** Stable for the same patient, date and verdict, so feedback can be matched to the card. */
  private static String uuid(Assessment a) {
    return UUID.nameUUIDFromBytes(("ketamine-cds|" + a.patient().id() + "|" + a.asOf() + "|" + a.verdict().code())
        .getBytes(StandardCharsets.UTF_8)).toString();
  }
}
