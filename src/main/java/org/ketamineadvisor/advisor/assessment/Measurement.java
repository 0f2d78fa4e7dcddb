package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.ketamineadvisor.advisor.terminology.Quantity;

/** A usable numeric observation (heart rate, weight, pain score, liver test, eye pressure). */
record Measurement(ObservationRecord observation, Quantity quantity) {

  String reference() {
    return observation.reference();
  }

  LocalDate date() {
    return observation.effective().date();
  }

  BigDecimal value() {
    return quantity.value();
  }

  /** The reference range's upper limit, null when the record has none. */
  BigDecimal referenceHigh() {
    return observation.referenceHigh() == null ? null : observation.referenceHigh().value();
  }

  boolean isNewerThan(Measurement other) {
    return other == null || observation.effective().compareTo(other.observation.effective()) > 0;
  }
}
