package org.ketamineadvisor.advisor.assessment;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The four risks of CLINICAL-RULES § 4, graded from the met rules. */
final class RiskGrading {

  private RiskGrading() {}

  static Map<Risk, Risk.Level> grade(List<Finding> findings) {
    Set<RuleId> met = EnumSet.noneOf(RuleId.class);
    for (Finding f : findings) {
      if (f.outcome() == Outcome.MET) {
        met.add(f.rule());
      }
    }
    Map<Risk, Risk.Level> risks = new EnumMap<>(Risk.class);
    risks.put(Risk.CARDIOVASCULAR, level(met,
        EnumSet.of(RuleId.CI_UNCONTROLLED_HTN, RuleId.CI_CARDIOVASCULAR), false,
        EnumSet.of(RuleId.PR_HYPERTENSION, RuleId.PR_CARDIOVASCULAR, RuleId.PR_TACHYCARDIA,
            RuleId.PR_HYPERTHYROIDISM, RuleId.INT_SYMPATHOMIMETIC, RuleId.INT_MAOI)));
    // high only when both an opioid and a benzodiazepine are current
    risks.put(Risk.RESPIRATORY_DEPRESSION, level(met,
        EnumSet.of(RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE), true,
        EnumSet.of(RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE, RuleId.INT_CNS_DEPRESSANT)));
    risks.put(Risk.PSYCHOTOMIMETIC, level(met, EnumSet.of(RuleId.CI_PSYCHOSIS), false,
        EnumSet.of(RuleId.PR_BIPOLAR, RuleId.CI_SUBSTANCE_USE, RuleId.PR_SUBSTANCE_HISTORY)));
    risks.put(Risk.HEPATOTOXICITY, level(met, EnumSet.of(RuleId.CI_SEVERE_HEPATIC), false,
        EnumSet.of(RuleId.PR_HEPATIC)));
    return risks;
  }

  private static Risk.Level level(Set<RuleId> met, Set<RuleId> high, boolean allForHigh, Set<RuleId> moderate) {
    boolean isHigh = allForHigh ? met.containsAll(high) : high.stream().anyMatch(met::contains);
    if (isHigh) {
      return Risk.Level.HIGH;
    }
    return moderate.stream().anyMatch(met::contains) ? Risk.Level.MODERATE : Risk.Level.LOW;
  }
}
