package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The findings of one assessment as the rule families fill it in; exactly one per rule. */
final class FindingSheet {

  private final Map<RuleId, Finding> findings = new EnumMap<>(RuleId.class);

  void met(RuleId rule, Evidence evidence) {
    put(Finding.of(rule, Outcome.MET, evidence.references(), evidence.detail(), evidence.newest()));
  }

  void metOrNot(RuleId rule, Evidence evidence, String notMetDetail) {
    if (evidence.isEmpty()) {
      notMet(rule, notMetDetail);
    } else {
      met(rule, evidence);
    }
  }

  void notMet(RuleId rule, String detail) {
    put(Finding.of(rule, Outcome.NOT_MET, List.of(), detail, null));
  }

  void notMet(RuleId rule, List<String> evidence, String detail, LocalDate date) {
    put(Finding.of(rule, Outcome.NOT_MET, evidence, detail, date));
  }

  void unknown(RuleId rule, List<String> lookedAt, String detail, LocalDate date) {
    put(Finding.of(rule, Outcome.UNKNOWN, lookedAt, detail, date));
  }

  Finding get(RuleId rule) {
    Finding finding = findings.get(rule);
    if (finding == null) {
      throw new IllegalStateException(rule.id() + " has not been evaluated yet");
    }
    return finding;
  }

  boolean isMet(RuleId rule) {
    return get(rule).outcome() == Outcome.MET;
  }

  /** Replaces an evaluated finding (read problems, attestations). */
  void replace(Finding finding) {
    get(finding.rule());
    findings.put(finding.rule(), finding);
  }

  /** Every rule, in {@link RuleId} order (CLINICAL-RULES § 7.1). */
  List<Finding> inRuleOrder() {
    List<Finding> ordered = new ArrayList<>(findings.size());
    for (RuleId rule : RuleId.values()) {
      ordered.add(get(rule));
    }
    return ordered;
  }

  private void put(Finding finding) {
    if (findings.putIfAbsent(finding.rule(), finding) != null) {
      throw new IllegalStateException(finding.rule().id() + " was evaluated twice");
    }
  }
}
