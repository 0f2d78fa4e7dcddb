package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.List;

/** CI-PREGNANCY: the latest pregnancy evidence within 294 days is positive (CLINICAL-RULES § 2.2, § 7.11). */
final class PregnancyRule implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    List<PregnancyEvidence> all = facts.pregnancyEvidence();
    int window = facts.settings().pregnancyWindowDays();
    if (all.isEmpty()) {
      sheet.notMet(RuleId.CI_PREGNANCY, "no pregnancy evidence within " + window + " days");
      return;
    }
    // an active pregnancy condition without a date cannot be superseded by a later test
    List<PregnancyEvidence> undated = all.stream().filter(e -> e.date() == null).toList();
    LocalDate latestDate = all.stream().map(PregnancyEvidence::date).filter(d -> d != null)
        .max(LocalDate::compareTo).orElse(null);
    List<PregnancyEvidence> latest = all.stream().filter(e -> e.date() != null && e.date().equals(latestDate)).toList();
    // § 7.11: positive and negative at the same time → positive
    List<PregnancyEvidence> positive = latest.stream().filter(PregnancyEvidence::positive).toList();
    Evidence evidence = new Evidence();
    undated.forEach(e -> evidence.add(e.reference(), e.description(), null));
    positive.forEach(e -> evidence.add(e.reference(), e.description(), e.date()));
    if (!evidence.isEmpty()) {
      sheet.met(RuleId.CI_PREGNANCY, evidence);
      return;
    }
    PregnancyEvidence newest = latest.get(0);
    sheet.notMet(RuleId.CI_PREGNANCY, latest.stream().map(PregnancyEvidence::reference).toList(),
        "latest pregnancy evidence is negative: " + newest.description(), newest.date());
  }
}
