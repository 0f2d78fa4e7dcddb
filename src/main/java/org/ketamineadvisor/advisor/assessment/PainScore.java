package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * The baseline pain score (0-10) the assessment used (§ 2.4 DATA-PAIN-BASELINE, § 8.3): the latest within the
 * look-back window, with its date and the record it came from.
 */
public record PainScore(BigDecimal score, LocalDate date, String reference) {

  private static final BigDecimal RESPONSE_FRACTION = new BigDecimal("0.7");

  public PainScore {
    if (score == null || date == null) {
      throw new IllegalArgumentException("a pain score needs its value and its date");
    }
  }

  /**
   * The highest follow-up score that still counts as a response (a reduction of at least 30 %, IMMPACT):
   * baseline × 0.7, to one decimal; null for a baseline of 0, where no reduction can be computed (§ 8.3).
   */
  public BigDecimal responseTarget() {
    if (score.signum() == 0) {
      return null;
    }
    return score.multiply(RESPONSE_FRACTION).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
