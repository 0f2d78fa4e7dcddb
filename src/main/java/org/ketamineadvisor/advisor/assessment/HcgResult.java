package org.ketamineadvisor.advisor.assessment;

import java.util.Optional;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Concept;

/**
 * What an hCG test (an observation of the {@code hcg-tests} value set) says, by CLINICAL-RULES § 7.11: only the
 * result codes positive {@code 10828004} / negative {@code 260385009}, and quantities with a reference range, are
 * evidence; anything else is not.
 */
public record HcgResult(boolean positive, String description) {

  static final String POSITIVE = "10828004";
  static final String NEGATIVE = "260385009";

  /** The result of an hCG test observation, or empty when it is not evidence. */
  public static Optional<HcgResult> of(ObservationRecord observation) {
    if (observation.value() instanceof ObservationRecord.CodedValue coded) {
      if (hasCode(coded.concept(), POSITIVE)) {
        return Optional.of(new HcgResult(true, "hCG test positive"));
      }
      if (hasCode(coded.concept(), NEGATIVE)) {
        return Optional.of(new HcgResult(false, "hCG test negative"));
      }
    } else if (observation.value() instanceof ObservationRecord.QuantityValue q && observation.referenceHigh() != null
        && q.quantity().value() != null) {
      boolean above = q.quantity().value().compareTo(observation.referenceHigh().value()) > 0;
      return Optional.of(new HcgResult(above, "hCG " + q.quantity() + (above ? " above" : " within")
          + " reference range (high " + observation.referenceHigh() + ")"));
    }
    return Optional.empty();
  }

  private static boolean hasCode(Concept concept, String code) {
    for (Code coding : concept.codings()) {
      if (code.equals(coding.code())) {
        return true;
      }
    }
    return false;
  }
}
