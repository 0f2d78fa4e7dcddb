package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/** CI-SEVERE-HEPATIC, PR-HEPATIC and DATA-LFT (CLINICAL-RULES § 2.2–2.4, § 7.10). */
final class HepaticRules implements RuleFamily {

  private static final String ALCOHOL_GROUP = "alcohol";

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    RuleSettings settings = facts.settings();
    int window = settings.liverTestWindowDays();
    Evidence severe = new Evidence().addConditions(facts.activeConditions(ValueSetId.SEVERE_HEPATIC_DISEASE));
    Evidence elevated = new Evidence().addConditions(facts.activeConditions(ValueSetId.LIVER_DISEASE));
    List<String> notableTests = new ArrayList<>();

    // § 7.10: the latest ALT and the latest AST are judged separately
    for (String test : List.of("alt", "ast")) {
      Measurement latest = facts.latestWithin(test, window);
      if (latest == null) {
        continue;
      }
      BigDecimal upperLimit = latest.referenceHigh() != null ? latest.referenceHigh()
          : settings.liverTestUpperLimitDefault();
      BigDecimal severeLimit = upperLimit.multiply(settings.severeLiverTestMultiple());
      String sentence = test.toUpperCase() + " " + latest.quantity() + " on " + latest.date();
      String uln = "ULN " + EvidenceText.number(upperLimit)
          + (latest.referenceHigh() != null ? " from the reference range" : " (default)");
      if (latest.value().compareTo(severeLimit) >= 0) {
        severe.add(latest.reference(), sentence + " (≥ " + EvidenceText.number(settings.severeLiverTestMultiple())
            + " × " + uln + ")", latest.date());
      } else if (latest.value().compareTo(upperLimit) > 0) {
        elevated.add(latest.reference(), sentence + " (> " + uln + ", below "
            + EvidenceText.number(settings.severeLiverTestMultiple()) + " × ULN)", latest.date());
      } else {
        notableTests.add(sentence + " (≤ " + uln + ")");
      }
    }
    String normal = notableTests.isEmpty() ? "no ALT or AST within " + window + " days"
        : String.join("; ", notableTests);
    sheet.metOrNot(RuleId.CI_SEVERE_HEPATIC, severe, "no active severe hepatic disease; " + normal);
    sheet.metOrNot(RuleId.PR_HEPATIC, elevated, "no active liver disease; " + normal);
    liverTestData(facts, sheet, window);
  }

  private static void liverTestData(ClinicalFacts facts, FindingSheet sheet, int window) {
    boolean anyTest = facts.latestWithin("alt", window) != null || facts.latestWithin("ast", window) != null;
    if (anyTest) {
      sheet.notMet(RuleId.DATA_LFT, "ALT or AST within " + window + " days");
      return;
    }
    List<PresentCondition> alcohol = facts.conditions(ValueSetId.SUBSTANCE_USE_DISORDERS).stream()
        .filter(c -> ALCOHOL_GROUP.equals(c.group())).toList();
    if (sheet.isMet(RuleId.PR_HEPATIC) || !alcohol.isEmpty()) {
      Evidence reason = new Evidence();
      if (sheet.isMet(RuleId.PR_HEPATIC)) {
        Finding hepatic = sheet.get(RuleId.PR_HEPATIC);
        hepatic.evidence().forEach(r -> reason.add(r, null, null));
        reason.add(null, "PR-HEPATIC met", hepatic.evidenceDate());
      }
      reason.addConditions(alcohol);
      sheet.unknown(RuleId.DATA_LFT, reason.references(), "no ALT or AST within " + window + " days, needed because: "
          + reason.detail(), reason.newest());
    } else {
      sheet.notMet(RuleId.DATA_LFT, "liver tests not required (no liver disease or alcohol-related disorder)");
    }
  }
}
