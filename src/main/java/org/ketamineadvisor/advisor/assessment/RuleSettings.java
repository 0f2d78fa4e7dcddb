package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;

/**
 * Every number of CLINICAL-RULES § 2 as a site-configurable setting; {@link #defaults()} gives the
 * specification's values. Windows are in days back from the as-of date, inclusive.
 */
public record RuleSettings(
    int bloodPressureWindowDays,
    int uncontrolledSystolic,
    int uncontrolledDiastolic,
    int elevatedSystolic,
    int elevatedDiastolic,
    int heartRateWindowDays,
    int tachycardiaRate,
    int recentCardiovascularEventDays,
    int pregnancyWindowDays,
    int liverTestWindowDays,
    BigDecimal severeLiverTestMultiple,
    BigDecimal liverTestUpperLimitDefault,
    int weightWindowDays,
    int painScoreWindowDays,
    int intraocularPressureLimit,
    int intraocularPressureWindowDays,
    int adultAge) {

  public RuleSettings {
    requirePositive("bloodPressureWindowDays", bloodPressureWindowDays);
    requirePositive("uncontrolledSystolic", uncontrolledSystolic);
    requirePositive("uncontrolledDiastolic", uncontrolledDiastolic);
    requirePositive("elevatedSystolic", elevatedSystolic);
    requirePositive("elevatedDiastolic", elevatedDiastolic);
    requirePositive("heartRateWindowDays", heartRateWindowDays);
    requirePositive("tachycardiaRate", tachycardiaRate);
    requirePositive("recentCardiovascularEventDays", recentCardiovascularEventDays);
    requirePositive("pregnancyWindowDays", pregnancyWindowDays);
    requirePositive("liverTestWindowDays", liverTestWindowDays);
    requirePositive("severeLiverTestMultiple", severeLiverTestMultiple);
    requirePositive("liverTestUpperLimitDefault", liverTestUpperLimitDefault);
    requirePositive("weightWindowDays", weightWindowDays);
    requirePositive("painScoreWindowDays", painScoreWindowDays);
    requirePositive("intraocularPressureLimit", intraocularPressureLimit);
    requirePositive("intraocularPressureWindowDays", intraocularPressureWindowDays);
    requirePositive("adultAge", adultAge);
    if (elevatedSystolic > uncontrolledSystolic || elevatedDiastolic > uncontrolledDiastolic) {
      throw new IllegalArgumentException("rule settings: the precaution BP threshold (" + elevatedSystolic + "/"
          + elevatedDiastolic + ") must not exceed the contraindication threshold (" + uncontrolledSystolic + "/"
          + uncontrolledDiastolic + ")");
    }
  }

  /** The defaults of CLINICAL-RULES v1. */
  public static RuleSettings defaults() {
    return new RuleSettings(30, 180, 100, 140, 90, 30, 100, 180, 294, 90,
        new BigDecimal("3"), new BigDecimal("40"), 90, 90, 21, 365, 18);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("rule settings: " + name + " must be a positive number, got " + value);
    }
  }

  private static void requirePositive(String name, BigDecimal value) {
    if (value == null || value.signum() <= 0) {
      throw new IllegalArgumentException("rule settings: " + name + " must be a positive number, got " + value);
    }
  }
}
