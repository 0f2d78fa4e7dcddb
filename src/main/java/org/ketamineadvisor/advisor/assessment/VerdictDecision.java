package org.ketamineadvisor.advisor.assessment;

import java.util.List;

/** The verdict of CLINICAL-RULES § 3: the first that applies. */
final class VerdictDecision {

  private VerdictDecision() {}

  static Verdict decide(List<Finding> findings) {
    boolean notIndicated = false;
    boolean unknown = false;
    boolean precaution = false;
    for (Finding f : findings) {
      RuleId.Category category = f.rule().category();
      if (category == RuleId.Category.CONTRAINDICATION && f.outcome() == Outcome.MET) {
        return Verdict.CONTRAINDICATED;
      }
      // IND-PRIOR-THERAPY can only be not-met by attestation: no conventional therapy was tried
      if (category == RuleId.Category.INDICATION && f.outcome() == Outcome.NOT_MET) {
        notIndicated = true;
      }
      if (f.outcome() == Outcome.UNKNOWN) {
        unknown = true;
      }
      if ((category == RuleId.Category.PRECAUTION || category == RuleId.Category.INTERACTION)
          && f.outcome() == Outcome.MET) {
        precaution = true;
      }
    }
    if (notIndicated) {
      return Verdict.NOT_INDICATED;
    }
    if (unknown) {
      return Verdict.NEEDS_INFORMATION;
    }
    return precaution ? Verdict.SUITABLE_WITH_PRECAUTIONS : Verdict.SUITABLE;
  }
}
