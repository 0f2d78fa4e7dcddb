package org.ketamineadvisor.advisor.careplan;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PainScore;

/**
 * A proposed ketamine infusion course: the protocol, the session dose (mg) and, for P-CRPS, the rate,
 * the dosing weight (kg, one decimal), one date per session, the monitoring steps, whether it is a draft
 * (verdict needs-information: it cannot be signed until the unknowns are resolved or attested), and the
 * dose calculation in words for the clinician; the infusion order a nurse runs (§ 5.1), the follow-up dates on
 * infusion days, the cautions the calendar raises (a P-SCI series broken by closed days, a start moved to an
 * infusion day), and the baseline pain score the response will be measured against (null when none).
 */
public record InfusionPlan(ProtocolId protocol, int sessions, int doseMg, Integer rateMgPerHour,
    int minutesPerSession, BigDecimal weightKg, List<LocalDate> sessionDates,
    List<PlannedActivity> activities, boolean draft, String doseCalculation, InfusionOrder order,
    List<LocalDate> followUps, List<String> cautions, PainScore painBaseline) {

  public InfusionPlan {
    if (protocol == null || weightKg == null || doseCalculation == null) {
      throw new IllegalArgumentException("an infusion plan needs a protocol, a weight and its dose calculation");
    }
    if (sessions < 1 || doseMg < 1 || minutesPerSession < 1) {
      throw new IllegalArgumentException("sessions, dose and minutes must be positive");
    }
    sessionDates = List.copyOf(sessionDates);
    if (sessionDates.size() != sessions) {
      throw new IllegalArgumentException("one date per session: " + sessions + " sessions, "
          + sessionDates.size() + " dates");
    }
    activities = List.copyOf(activities);
    followUps = followUps == null ? List.of() : List.copyOf(followUps);
    cautions = cautions == null ? List.of() : List.copyOf(cautions);
    if (order == null) {
      throw new IllegalArgumentException("an infusion plan needs its infusion order");
    }
  }

  public LocalDate firstSession() {
    return sessionDates.get(0);
  }

  public LocalDate lastSession() {
    return sessionDates.get(sessionDates.size() - 1);
  }

  /** The last date the plan schedules anything (the last follow-up, else the last session). */
  public LocalDate end() {
    LocalDate end = lastSession();
    for (PlannedActivity a : activities) {
      if (a.timing().last().isAfter(end)) {
        end = a.timing().last();
      }
    }
    return end;
  }
}
