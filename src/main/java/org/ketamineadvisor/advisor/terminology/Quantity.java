package org.ketamineadvisor.advisor.terminology;

import java.math.BigDecimal;

/**
 * A measured amount as recorded: the value, the human unit, and the coded unit (UCUM when
 * {@code system} is http://unitsofmeasure.org). Unit fields may be null.
 */
public record Quantity(BigDecimal value, String unit, String system, String code) {
  public static final String UCUM = "http://unitsofmeasure.org";

  public Quantity {
    if (value == null) {
      throw new IllegalArgumentException("a quantity needs a value");
    }
  }

  /** The unit to convert from: the UCUM code when coded in UCUM, else the free-text unit. */
  public String unitForConversion() {
    if (code != null && !code.isBlank() && (system == null || UCUM.equals(system))) {
      return code;
    }
    return unit;
  }

  @Override
  public String toString() {
    String u = unit != null ? unit : code;
    return value.stripTrailingZeros().toPlainString() + (u == null ? "" : " " + u);
  }
}
