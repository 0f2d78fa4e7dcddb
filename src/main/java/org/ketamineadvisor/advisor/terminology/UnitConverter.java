package org.ketamineadvisor.advisor.terminology;

import java.math.BigDecimal;
import java.util.Optional;

/** Converts a quantity to a target UCUM unit; empty when the unit is unknown or not commensurable. */
public interface UnitConverter {
  Optional<BigDecimal> convert(Quantity quantity, String targetUcumUnit);
}
