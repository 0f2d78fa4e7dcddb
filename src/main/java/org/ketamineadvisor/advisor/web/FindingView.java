package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;

/**
 * One finding as the page shows it: the rule's title and what the record says, where it came from with its date
 * and age (stale data marked), the mitigation the plan carries, who attested it, and the rule's id and source for
 * the expandable details.
 */
record FindingView(String ruleId, String title, String ruleSource, String outcome, String detail,
    List<String> records, String dated, boolean stale, String staleNote, String mitigation, String attestedBy,
    List<AttestChoice> attestChoices, String entryKind) {

  /**
   * The windows of CLINICAL-RULES § 2 for rules that read observations: older evidence no longer decides the
   * rule, so the page marks it stale rather than letting an old value look current.
   */
  private static final Map<RuleId, Integer> WINDOW_DAYS = Map.ofEntries(
      Map.entry(RuleId.CI_UNCONTROLLED_HTN, 30), Map.entry(RuleId.PR_HYPERTENSION, 30),
      Map.entry(RuleId.PR_TACHYCARDIA, 30), Map.entry(RuleId.DATA_BP, 30),
      Map.entry(RuleId.CI_SEVERE_HEPATIC, 90), Map.entry(RuleId.PR_HEPATIC, 90), Map.entry(RuleId.DATA_WEIGHT, 90),
      Map.entry(RuleId.DATA_PAIN_BASELINE, 90), Map.entry(RuleId.DATA_LFT, 90),
      Map.entry(RuleId.PR_ELEVATED_IOP, 365));

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  /** One way to settle an unknown: the outcome code sent with the form and its label. */
  record AttestChoice(String outcome, String label) {}

  static FindingView of(Finding finding, LocalDate asOf) {
    return of(finding, asOf, java.util.Map.of());
  }

  /**
   * As {@link #of(Finding, LocalDate)}; {@code entered} names the evidence references that are values the
   * clinician entered ("BP 190/105 mmHg measured … — entered by Dr Ada"), so the source says so.
   */
  static FindingView of(Finding finding, LocalDate asOf, Map<String, String> entered) {
    RuleId rule = finding.rule();
    String dated = null;
    boolean stale = false;
    String staleNote = null;
    if (finding.evidenceDate() != null) {
      dated = "on " + finding.evidenceDate() + ", " + EvidenceAge.of(finding.evidenceDate(), asOf);
      Integer window = WINDOW_DAYS.get(rule);
      boolean fromObservation = finding.evidence().stream().anyMatch(r -> r.startsWith("Observation/")
              || entered.containsKey(r))
          || finding.outcome() == Outcome.UNKNOWN;
      if (window != null && fromObservation && finding.evidenceDate().isBefore(asOf.minusDays(window))) {
        stale = true;
        staleNote = "Stale: older than the " + window + " days this rule looks back";
      }
    }
    Attestation attestation = finding.attestation();
    String attestedBy = attestation == null ? null
        : "Stated by " + attestation.author() + " on " + WHEN.format(attestation.at().atOffset(ZoneOffset.UTC))
            + ": " + attestation.statement() + " — " + attestation.reason();
    List<String> records = finding.evidence().stream().map(r -> entered.getOrDefault(r, r)).toList();
    // an indication is a criterion: not met, it is named by what is the case ("Patient is deceased")
    boolean indicationNotMet = rule.category() == RuleId.Category.INDICATION && finding.outcome() == Outcome.NOT_MET;
    return new FindingView(rule.id(), indicationNotMet ? rule.notMetTitle() : rule.title(), rule.source(),
        outcomeWords(finding), finding.detail(),
        records, dated, stale, staleNote, finding.outcome() == Outcome.MET ? rule.mitigation() : null,
        attestedBy, choices(rule), entryKind(rule));
  }

  /** Which value form settles a data rule (CLINICAL-RULES § 2.4 by value); null for rules settled by statement. */
  static String entryKind(RuleId rule) {
    return switch (rule) {
      case DATA_BP -> "bp";
      case DATA_WEIGHT -> "weight";
      case DATA_PAIN_BASELINE -> "pain";
      case DATA_LFT -> "lft";
      default -> null;
    };
  }

  private static String outcomeWords(Finding finding) {
    if (finding.attestation() != null) {
      return "as stated by the clinician: " + finding.attestation().statement();
    }
    if (finding.rule().category() == RuleId.Category.INDICATION) {
      return switch (finding.outcome()) {
        case MET -> "Met";
        case NOT_MET -> "Criterion not met";
        case UNKNOWN -> "Unknown";
      };
    }
    return switch (finding.outcome()) {
      case MET -> "Present";
      case NOT_MET -> "Not present";
      case UNKNOWN -> "Unknown";
    };
  }

  /**
   * The statements that settle a rule by statement (§ 2.4); none for a data rule, which only a value settles.
   */
  static List<AttestChoice> choices(RuleId rule) {
    if (rule.category() == RuleId.Category.DATA) {
      return List.of();
    }
    if (rule == RuleId.IND_PRIOR_THERAPY) {
      return List.of(new AttestChoice(Outcome.MET.code(), "A first-line agent was tried"),
          new AttestChoice(Outcome.NOT_MET.code(), "No first-line agent was tried"));
    }
    if (rule == RuleId.IND_ADULT) {
      return List.of(new AttestChoice(Outcome.MET.code(), "Adult age confirmed (18 or older)"),
          new AttestChoice(Outcome.NOT_MET.code(), "Not an adult"));
    }
    return List.of(new AttestChoice(Outcome.MET.code(), "Present"),
        new AttestChoice(Outcome.NOT_MET.code(), "Not present"));
  }
}
