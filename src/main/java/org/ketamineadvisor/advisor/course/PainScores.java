package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain;
import org.ketamineadvisor.advisor.terminology.CodeMatch;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * The patient's pain scores, oldest first: every observation in the {@code pain-severity} group of the
 * {@code observation-codes} value set (e.g. LOINC 72514-3) with a number, not entered in error. One extraction
 * for the page's pain chart, the outcome on the page and the course as data, so that they always read the same
 * scores.
 */
public final class PainScores {
  private PainScores() {}

  public static List<Pain> of(List<ObservationRecord> observations, Terminology terminology) {
    List<Pain> pain = new ArrayList<>();
    for (ObservationRecord o : observations) {
      if (o.effective() == null || "entered-in-error".equals(o.status())) {
        continue;
      }
      boolean painSeverity = terminology.match(ValueSetId.OBSERVATION_CODES, o.code()).map(CodeMatch::group)
          .filter("pain-severity"::equals).isPresent();
      if (painSeverity && o.value() instanceof ObservationRecord.QuantityValue q && q.number() != null) {
        BigDecimal score = q.number();
        pain.add(new Pain(o.effective().date(), score, o.reference()));
      }
    }
    pain.sort(Comparator.comparing(Pain::date));
    return List.copyOf(pain);
  }
}
