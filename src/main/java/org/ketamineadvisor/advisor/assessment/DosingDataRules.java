package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.util.List;

/** DATA-WEIGHT and DATA-PAIN-BASELINE: the dose and the response need them (CLINICAL-RULES § 2.4, § 7.9, § 7.13). */
final class DosingDataRules implements RuleFamily {

  private static final BigDecimal TEN = BigDecimal.TEN;

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    weight(facts, sheet);
    painBaseline(facts, sheet);
  }

  private static void weight(ClinicalFacts facts, FindingSheet sheet) {
    int window = facts.settings().weightWindowDays();
    ClinicalFacts.WeightChoice choice = facts.weight();
    String problems = choice.skipped().isEmpty() ? "" : "; skipped " + String.join("; ", choice.skipped());
    BodyWeight weight = choice.weight();
    if (weight != null) {
      sheet.notMet(RuleId.DATA_WEIGHT, List.of(weight.reference()),
          "weight " + EvidenceText.number(weight.kilograms()) + " kg on " + weight.date() + problems, weight.date());
    } else {
      sheet.unknown(RuleId.DATA_WEIGHT, choice.lookedAt(), "no body weight in kg, g or lb within " + window
          + " days (since " + facts.asOf().minusDays(window) + ")" + problems, null);
    }
  }

  private static void painBaseline(ClinicalFacts facts, FindingSheet sheet) {
    int window = facts.settings().painScoreWindowDays();
    Measurement latest = latestPain(facts);
    if (latest != null) {
      sheet.notMet(RuleId.DATA_PAIN_BASELINE, List.of(latest.reference()),
          "pain score " + EvidenceText.number(latest.value()) + "/10 on " + latest.date(), latest.date());
    } else {
      sheet.unknown(RuleId.DATA_PAIN_BASELINE, List.of(), "no pain score (0-10) within " + window + " days (since "
          + facts.asOf().minusDays(window) + "); record a baseline before the first infusion", null);
    }
  }

  /** The baseline the rule used (§ 8.3), or null when there is none. */
  static PainScore latestPainScore(ClinicalFacts facts) {
    Measurement latest = latestPain(facts);
    return latest == null ? null : new PainScore(latest.value(), latest.date(), latest.reference());
  }

  private static Measurement latestPain(ClinicalFacts facts) {
    Measurement latest = null;
    for (Measurement score : facts.allWithin("pain-severity", facts.settings().painScoreWindowDays())) {
      // § 7.13: a value outside 0–10 is not a usable score
      boolean onScale = score.value().signum() >= 0 && score.value().compareTo(TEN) <= 0;
      if (onScale && score.isNewerThan(latest)) {
        latest = score;
      }
    }
    return latest;
  }
}
