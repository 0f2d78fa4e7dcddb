package org.ketamineadvisor.advisor.careplan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a nurse needs to run one session and the course (CLINICAL-RULES § 5.1): the dose, the volume and the pump
 * rate at the site's concentration, the duration, the course total, when to stop, the drugs the site names, and
 * when the patient may go home; {@code clinicDays} the site's infusion days and closures in words.
 */
public record InfusionOrder(int doseMg, BigDecimal volumeMl, BigDecimal rateMgPerHour, BigDecimal rateMlPerHour,
    int minutes, int sessions, int courseTotalMg, BigDecimal concentrationMgPerMl, List<String> stopCriteria,
    List<String> premedication, List<String> rescue, List<String> discharge, String clinicDays) {

  static final int OBSERVATION_MINUTES = 60;

  public InfusionOrder {
    stopCriteria = List.copyOf(stopCriteria);
    premedication = List.copyOf(premedication);
    rescue = List.copyOf(rescue);
    discharge = List.copyOf(discharge);
  }

  /**
   * The order for {@code sessions} sessions of {@code doseMg} over {@code minutes}: rate = dose ÷ duration (for
   * P-CRPS exactly its capped rate, for P-SCI 16 mg/h, for P-STANDARD dose ÷ 40/60 h), mL = mg ÷ concentration,
   * both to one decimal (half up).
   */
  static InfusionOrder of(int doseMg, int minutes, int sessions, SiteSettings site) {
    BigDecimal concentration = site.concentrationMgPerMl();
    BigDecimal rateMg = BigDecimal.valueOf(doseMg * 60L).divide(BigDecimal.valueOf(minutes), 1, RoundingMode.HALF_UP);
    BigDecimal rateMl = BigDecimal.valueOf(doseMg * 60L)
        .divide(BigDecimal.valueOf(minutes).multiply(concentration), 1, RoundingMode.HALF_UP);
    BigDecimal volume = BigDecimal.valueOf(doseMg).divide(concentration, 1, RoundingMode.HALF_UP);
    SiteSettings.StopThresholds stop = site.stop();
    List<String> stopCriteria = List.of(
        "Systolic blood pressure above " + stop.systolicAbove() + " mmHg or diastolic above " + stop.diastolicAbove()
            + " mmHg",
        "SpO2 below " + stop.spo2Below() + " %",
        "Heart rate above " + stop.heartRateAbove() + " /min",
        "A distressing emergence reaction (hallucinations, agitation, severe dissociation)");
    List<String> discharge = List.of(
        "At least " + OBSERVATION_MINUTES + " minutes of observation after the infusion ends",
        "Back to baseline mental status",
        "An adult escort home",
        "No driving for 24 hours");
    return new InfusionOrder(doseMg, volume, rateMg, rateMl, minutes, sessions, doseMg * sessions, concentration,
        stopCriteria, site.premedication(), site.rescue(), discharge, site.calendarInWords());
  }

  /** "1 mg/mL ketamine in 0.9 % sodium chloride". */
  public String solution() {
    return plain(concentrationMgPerMl) + " mg/mL ketamine in 0.9 % sodium chloride";
  }

  /** "25 mg/h = 25.0 mL/h". */
  public String pumpRate() {
    return plain(rateMgPerHour) + " mg/h = " + rateMlPerHour.toPlainString() + " mL/h";
  }

  /** "100 mg in 100.0 mL over 240 min at 25 mg/h = 25.0 mL/h". */
  public String perSession() {
    return doseMg + " mg in " + volumeMl.toPlainString() + " mL over " + minutes + " min at " + pumpRate();
  }

  /** The labels of the order's parts, in the order {@link #inWords()} writes them ("Label: items."). */
  public static final String SOLUTION = "Solution";
  public static final String EACH_SESSION = "Each session";
  public static final String COURSE_TOTAL = "Course total";
  public static final String STOP_WHEN = "Stop or pause the infusion and call the physician when";
  public static final String PREMEDICATION = "Premedication";
  public static final String RESCUE = "Rescue drugs";
  public static final String DISCHARGE = "Before discharge";
  public static final List<String> LABELS = List.of(SOLUTION, EACH_SESSION, COURSE_TOTAL, STOP_WHEN, PREMEDICATION,
      RESCUE, DISCHARGE);

  /** The whole order in one paragraph, for the CarePlan's narrative and the printed plan. */
  public String inWords() {
    return SOLUTION + ": " + solution() + ". " + EACH_SESSION + ": " + perSession() + ". " + COURSE_TOTAL + ": "
        + courseTotalMg + " mg over " + sessions + " sessions. " + STOP_WHEN + ": " + String.join("; ", stopCriteria)
        + ". " + PREMEDICATION + ": " + drugs(premedication) + ". " + RESCUE + ": " + drugs(rescue) + ". "
        + DISCHARGE + ": " + String.join("; ", discharge) + ".";
  }

  /** The premedication the site named, or "none configured by the site". */
  public String premedicationInWords() {
    return drugs(premedication);
  }

  /** The rescue drugs the site named, or "none configured by the site". */
  public String rescueInWords() {
    return drugs(rescue);
  }

  private static String drugs(List<String> drugs) {
    return drugs.isEmpty() ? "none configured by the site" : String.join("; ", drugs);
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
