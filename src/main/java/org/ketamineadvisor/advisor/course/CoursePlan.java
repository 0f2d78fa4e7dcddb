package org.ketamineadvisor.advisor.course;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.RuleId;

/**
 * The signed course as the chart holds it (CLINICAL-RULES § 8): its session days, the dose per session and its
 * duration, the date the signed assessment was made ({@code signedAsOf}, T), the weight the dose was computed on
 * (null when unknown) and the contraindications the signed assessment already had.
 */
public record CoursePlan(List<LocalDate> sessions, int doseMg, int minutesPerSession, LocalDate signedAsOf,
    BigDecimal dosingWeightKg, Set<RuleId> signedContraindications) {

  public CoursePlan {
    if (sessions == null || sessions.isEmpty() || doseMg < 1 || minutesPerSession < 1 || signedAsOf == null) {
      throw new IllegalArgumentException("a signed course needs its session days, dose, duration and signing date");
    }
    sessions = List.copyOf(sessions);
    signedContraindications = signedContraindications == null ? Set.of() : Set.copyOf(signedContraindications);
  }

  /** 1-based, or 0 when {@code day} is not a session day of the plan. */
  public int sessionNumber(LocalDate day) {
    return sessions.indexOf(day) + 1;
  }
}
