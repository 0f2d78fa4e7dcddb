package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.util.List;

/**
 * Systolic and/or diastolic blood pressure at one effective time, in mmHg (CLINICAL-RULES § 7.8):
 * from a panel, or from separate observations taken at the same time. Either value may be null.
 */
record BloodPressureReading(ObservationRecord.Effective effective, BigDecimal systolic, BigDecimal diastolic,
    List<String> references) {

  BloodPressureReading {
    references = List.copyOf(references);
  }

  /** "BP 186/95 mmHg on 2026-05-20", with "?" for a missing value. */
  String describe() {
    return "BP " + EvidenceText.number(systolic) + "/" + EvidenceText.number(diastolic) + " mmHg on "
        + effective.date();
  }
}
