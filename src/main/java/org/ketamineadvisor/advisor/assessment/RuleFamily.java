package org.ketamineadvisor.advisor.assessment;

/** A group of related rules of CLINICAL-RULES § 2 that read the same facts. */
interface RuleFamily {
  void evaluate(ClinicalFacts facts, FindingSheet sheet);
}
