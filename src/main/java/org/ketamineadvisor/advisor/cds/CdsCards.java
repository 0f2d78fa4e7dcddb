package org.ketamineadvisor.advisor.cds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;

/**
 * The card for an assessed patient (CDS Hooks 2.0): indicator by verdict (contraindicated critical; not-indicated,
 * needs-information and suitable-with-precautions warning; suitable info), a summary of fewer than 140 characters
 * (the specification's limit) with the verdict and the deciding reason, a detail listing contraindications,
 * interactions (opioid with benzodiazepine named) and what is missing or could not be checked, the rule set as source,
 * a SMART link that launches the full page, and override reasons for a contraindication. Each card has a fresh random
 * {@code uuid}: feedback names one card, never a class of cards.
 */
final class CdsCards {

  /** CDS Hooks: "One-sentence, <140-character summary". */
  static final int MAX_SUMMARY = 139;
  static final String LEAD = "Ketamine: ";
  /** Patient-view's lead: the card is shown only for a candidate. */
  static final String CANDIDATE_LEAD = "Candidate for a ketamine infusion course — ";
  /** What a card without a verdict is remembered by for its feedback. */
  static final String NOT_CHECKED = "not-checked";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CdsCards() {}

  /**
   * The card; {@code launchUrl} the app's SMART launch URL for the EHR to open with its launch context, {@code lead}
   * what the summary starts with ({@link #LEAD}, or patient-view's {@link #CANDIDATE_LEAD}).
   */
  static ObjectNode card(Assessment a, String lead, String launchUrl, List<String> unread) {
    ObjectNode card = JSON.objectNode();
    card.put("uuid", UUID.randomUUID().toString());
    card.put("summary", summary(a, lead));
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

  /** The card when the record could not be read: no verdict, a warning that names what was not read. */
  static ObjectNode notChecked(List<String> unread) {
    ObjectNode card = JSON.objectNode();
    card.put("uuid", UUID.randomUUID().toString())
        .put("summary", "Ketamine: the patient's record could not be read — suitability not checked")
        .put("indicator", "warning").put("detail", String.join("; ", unread))
        .putObject("source").put("label", "Ketamine Infusion Advisor");
    return card;
  }

  static String indicator(Verdict verdict) {
    return switch (verdict) {
      case CONTRAINDICATED -> "critical";
      case SUITABLE -> "info";
      default -> "warning";
    };
  }

  /**
   * "Ketamine: contraindicated — Psychotic disorder (active or history)", fewer than 140 characters: the verdict, then
   * the deciding reasons, the first in full, cut at a word boundary with an ellipsis when more do not fit. {@code lead}
   * is what comes before the verdict ("Ketamine: ", or patient-view's candidate wording).
   */
  static String summary(Assessment a, String lead) {
    String verdict = switch (a.verdict()) {
      case CONTRAINDICATED -> "contraindicated";
      case NOT_INDICATED -> "not indicated";
      case NEEDS_INFORMATION -> "needs information";
      case SUITABLE_WITH_PRECAUTIONS -> "suitable with precautions";
      case SUITABLE -> "suitable for an IV course";
    };
    List<String> reasons = deciding(a);
    if (reasons.isEmpty()) {
      return fit(lead + verdict);
    }
    // needs information lists short nouns ("BP, weight, prior first-line trial") so that several fit
    String separator = a.verdict() == Verdict.NEEDS_INFORMATION ? ", " : "; ";
    return fit(lead + verdict + " — " + String.join(separator, reasons));
  }

  /**
   * {@code text} when it has fewer than 140 characters; else cut after the last whole word that leaves room for an
   * ellipsis (a separator or space before the cut is dropped), so that no word is ever shown half.
   */
  static String fit(String text) {
    if (text.length() <= MAX_SUMMARY) {
      return text;
    }
    String ellipsis = "…";
    int limit = MAX_SUMMARY - ellipsis.length();
    int cut = -1;
    // a word boundary: the character after the cut is a space (the word before it is complete)
    for (int i = limit; i > 0; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) {
      // one word longer than the limit (never with the rules' wording): a hard cut is all that is left
      return text.substring(0, limit) + ellipsis;
    }
    String kept = text.substring(0, cut).replaceAll("[\\s;,:—–-]+$", "");
    return kept + ellipsis;
  }

  /** The deciding reasons, most important first: rule titles, or for missing data what to record, in short words. */
  private static List<String> deciding(Assessment a) {
    if (a.verdict() == Verdict.SUITABLE_WITH_PRECAUTIONS && a.outcome(RuleId.INT_OPIOID) == Outcome.MET
        && a.outcome(RuleId.INT_BENZODIAZEPINE) == Outcome.MET) {
      return List.of("opioid and benzodiazepine: high risk of respiratory depression");
    }
    List<Finding> findings = a.decidingFindings();
    if (a.verdict() == Verdict.NOT_INDICATED) {
      return findings.stream().map(f -> f.rule().notMetTitle()).toList();
    }
    if (a.verdict() != Verdict.NEEDS_INFORMATION) {
      return findings.stream().map(f -> f.rule().title()).toList();
    }
    Set<RuleId> unknown = EnumSet.noneOf(RuleId.class);
    findings.forEach(f -> unknown.add(f.rule()));
    Set<String> missing = new LinkedHashSet<>();
    for (RuleId rule : MISSING_ORDER) {
      if (unknown.remove(rule)) {
        missing.add(missing(rule));
      }
    }
    unknown.forEach(rule -> missing.add(missing(rule)));
    return List.copyOf(missing);
  }

  /**
   * The order missing items are named in: what the clinician is asked to record first (vital signs, weight, the
   * prior first-line trial), then what could change the verdict most.
   */
  private static final List<RuleId> MISSING_ORDER = List.of(RuleId.DATA_BP, RuleId.CI_UNCONTROLLED_HTN,
      RuleId.PR_HYPERTENSION, RuleId.DATA_WEIGHT, RuleId.IND_PRIOR_THERAPY, RuleId.CI_PREGNANCY,
      RuleId.DATA_PAIN_BASELINE, RuleId.DATA_LFT, RuleId.CI_SEVERE_HEPATIC, RuleId.PR_HEPATIC,
      RuleId.IND_NEUROPATHIC, RuleId.IND_ADULT, RuleId.IND_LIVING, RuleId.CI_KETAMINE_ALLERGY, RuleId.CI_XANTHINE,
      RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE, RuleId.INT_CNS_DEPRESSANT, RuleId.INT_SYMPATHOMIMETIC,
      RuleId.INT_MAOI, RuleId.CI_PSYCHOSIS, RuleId.CI_SUBSTANCE_USE, RuleId.CI_CARDIOVASCULAR,
      RuleId.PR_CARDIOVASCULAR, RuleId.PR_TACHYCARDIA);

  /** What a rule lacks, in a word or two (several rules share one: an unknown BP is named once). */
  static String missing(RuleId rule) {
    return switch (rule) {
      case DATA_BP, CI_UNCONTROLLED_HTN, PR_HYPERTENSION -> "BP";
      case DATA_WEIGHT -> "weight";
      case IND_PRIOR_THERAPY -> "prior first-line trial";
      case CI_PREGNANCY -> "pregnancy status";
      case DATA_PAIN_BASELINE -> "pain score";
      case DATA_LFT, CI_SEVERE_HEPATIC, PR_HEPATIC -> "ALT/AST";
      case IND_NEUROPATHIC -> "neuropathic diagnosis";
      case IND_ADULT -> "age";
      case IND_LIVING -> "vital status";
      case CI_KETAMINE_ALLERGY -> "allergies";
      // the medication rules are unknown together when the medication list could not be read
      case CI_XANTHINE, INT_OPIOID, INT_BENZODIAZEPINE, INT_CNS_DEPRESSANT, INT_SYMPATHOMIMETIC, INT_MAOI ->
          "medications";
      case CI_PSYCHOSIS -> "psychosis history";
      case CI_SUBSTANCE_USE, PR_SUBSTANCE_HISTORY -> "substance use";
      case CI_CARDIOVASCULAR, PR_CARDIOVASCULAR -> "cardiac history";
      case PR_TACHYCARDIA -> "heart rate";
      case PR_BIPOLAR -> "bipolar history";
      case PR_ELEVATED_IOP -> "eye pressure";
      case PR_INTRACRANIAL -> "intracranial pressure";
      case PR_HYPERTHYROIDISM -> "thyroid status";
    };
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
}
