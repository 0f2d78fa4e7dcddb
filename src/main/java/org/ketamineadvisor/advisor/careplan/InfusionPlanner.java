package org.ketamineadvisor.advisor.careplan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;

/** Proposes the infusion course of CLINICAL-RULES § 5 and § 7.15 for an assessment. */
public final class InfusionPlanner {

  static final BigDecimal CRPS_MG_PER_KG_PER_HOUR = new BigDecimal("0.35");
  static final int CRPS_MAX_RATE_MG_PER_HOUR = 25;
  static final int SCI_FIXED_DOSE_MG = 80;
  static final BigDecimal STANDARD_MG_PER_KG = new BigDecimal("0.5");
  static final int PREGNANCY_TEST_MIN_AGE = 18;
  static final int PREGNANCY_TEST_MAX_AGE = 55;
  static final int BP_INTERVAL_MINUTES = 15;
  static final int OBSERVATION_MINUTES = 60;
  static final List<Integer> FOLLOW_UP_WEEKS = List.of(1, 4, 12);

  /**
   * The plan, or empty when the verdict allows no protocol (contraindicated, not-indicated) or there
   * is no dosing weight. The plan is a draft when the verdict is needs-information.
   *
   * @throws IllegalArgumentException when the requested start lies before the as-of date
   */
  public Optional<InfusionPlan> propose(Assessment assessment, PlanRequest request) {
    PlanRequest req = request == null ? PlanRequest.defaults() : request;
    if (!assessment.verdict().allowsProtocol() || assessment.weight() == null
        || assessment.weight().kilograms() == null) {
      return Optional.empty();
    }
    LocalDate asOf = assessment.asOf();
    LocalDate start = req.start() != null ? req.start() : asOf.plusDays(1);
    if (start.isBefore(asOf)) {
      throw new IllegalArgumentException("the plan cannot start on " + start + ", before the assessment date "
          + asOf + ": choose a start on or after " + asOf);
    }
    ProtocolId protocol = req.protocol() != null ? req.protocol() : ProtocolId.defaultFor(assessment.indicationGroup());
    int sessions = req.sessions() != null ? req.sessions() : protocol.defaultSessions();
    // The dose is computed from the weight as printed (one decimal), so that the calculation shown to
    // the clinician reproduces the dose exactly.
    BigDecimal kg = assessment.weight().kilograms().setScale(1, RoundingMode.HALF_UP);
    Dose dose = dose(protocol, kg);

    List<LocalDate> dates = new ArrayList<>(sessions);
    for (int i = 0; i < sessions; i++) {
      dates.add(start.plusDays(i));
    }
    List<PlannedActivity> activities = activities(assessment, dates);
    return Optional.of(new InfusionPlan(protocol, sessions, dose.mg, dose.rate, protocol.minutesPerSession(), kg,
        dates, activities, assessment.verdict() == Verdict.NEEDS_INFORMATION, dose.calculation));
  }

  private record Dose(int mg, Integer rate, String calculation) {}

  private static Dose dose(ProtocolId protocol, BigDecimal kg) {
    int minutes = protocol.minutesPerSession();
    switch (protocol) {
      case P_CRPS -> {
        BigDecimal exact = CRPS_MG_PER_KG_PER_HOUR.multiply(kg);
        int rounded = wholeMg(exact);
        int rate = Math.min(rounded, CRPS_MAX_RATE_MG_PER_HOUR);
        int hours = minutes / 60;
        String rateText = "0.35 mg/kg/h × " + kg.toPlainString() + " kg = " + plain(exact) + " mg/h"
            + (rounded > CRPS_MAX_RATE_MG_PER_HOUR ? ", capped at " + CRPS_MAX_RATE_MG_PER_HOUR + " mg/h"
                : roundingNote(exact, rounded, " mg/h"));
        return new Dose(rate * hours, rate, rateText + "; " + rate + " mg/h × " + hours + " h = " + rate * hours
            + " mg over " + minutes + " min");
      }
      case P_SCI -> {
        return new Dose(SCI_FIXED_DOSE_MG, null, SCI_FIXED_DOSE_MG + " mg fixed dose over " + minutes + " min");
      }
      default -> {
        BigDecimal exact = STANDARD_MG_PER_KG.multiply(kg);
        int mg = wholeMg(exact);
        return new Dose(mg, null, "0.5 mg/kg × " + kg.toPlainString() + " kg = " + plain(exact) + " mg"
            + roundingNote(exact, mg, " mg") + " over " + minutes + " min");
      }
    }
  }

  private static int wholeMg(BigDecimal exact) {
    return exact.setScale(0, RoundingMode.HALF_UP).intValueExact();
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static String roundingNote(BigDecimal exact, int rounded, String unit) {
    return exact.compareTo(BigDecimal.valueOf(rounded)) == 0 ? "" : ", rounded to " + rounded + unit;
  }

  private static List<PlannedActivity> activities(Assessment assessment, List<LocalDate> dates) {
    LocalDate first = dates.get(0);
    LocalDate last = dates.get(dates.size() - 1);
    List<PlannedActivity> out = new ArrayList<>();
    out.add(new PlannedActivity("pre-infusion-vitals", "Vital signs before the infusion: blood pressure, heart rate, SpO2",
        Timing.before(dates, "Before each session"), List.of()));
    if (needsPregnancyTest(assessment.patient(), assessment.asOf())) {
      out.add(new PlannedActivity("pregnancy-test", "Pregnancy test (female patient aged 18-55)",
          Timing.before(List.of(first), "Before the first session"), List.of()));
    }
    if (atLeastModerate(assessment, Risk.CARDIOVASCULAR)) {
      out.add(new PlannedActivity("baseline-ecg", "Baseline ECG (cardiovascular risk "
          + assessment.risks().get(Risk.CARDIOVASCULAR).code() + ")",
          Timing.before(List.of(first), "Before the first session"), List.of()));
    }
    if (atLeastModerate(assessment, Risk.HEPATOTOXICITY)) {
      String risk = assessment.risks().get(Risk.HEPATOTOXICITY).code();
      out.add(new PlannedActivity("liver-tests-before", "Liver tests (ALT, AST) before the course (hepatotoxicity risk "
          + risk + ")", Timing.before(List.of(first), "Before the first session"), List.of()));
      out.add(new PlannedActivity("liver-tests-after", "Liver tests (ALT, AST) after the course (hepatotoxicity risk "
          + risk + ")", Timing.after(List.of(last), null, "After the last session"), List.of()));
    }
    out.add(new PlannedActivity("continuous-spo2-hr", "Continuous SpO2 and heart-rate monitoring during the infusion",
        Timing.during(dates, null, "Continuously during each session"), List.of()));
    out.add(new PlannedActivity("bp-every-15-min", "Blood pressure every " + BP_INTERVAL_MINUTES
        + " minutes during the infusion",
        Timing.during(dates, BP_INTERVAL_MINUTES, "Every " + BP_INTERVAL_MINUTES + " minutes during each session"),
        List.of()));
    out.add(new PlannedActivity("post-infusion-observation", "Observation for at least " + OBSERVATION_MINUTES
        + " minutes after the infusion",
        Timing.after(dates, OBSERVATION_MINUTES, "At least " + OBSERVATION_MINUTES + " minutes after each session"),
        List.of()));
    List<LocalDate> followUps = FOLLOW_UP_WEEKS.stream().map(w -> last.plusWeeks(w)).toList();
    out.add(new PlannedActivity("pain-follow-up", "Pain score follow-up (response: at least 30 % reduction from baseline)",
        Timing.on(followUps, "1, 4 and 12 weeks after the last session"), List.of()));
    out.addAll(mitigations(assessment, first, last));
    return out;
  }

  /** One activity per distinct mitigation text of the met precautions and interactions, in rule order. */
  private static List<PlannedActivity> mitigations(Assessment assessment, LocalDate first, LocalDate last) {
    Map<String, List<RuleId>> byText = new LinkedHashMap<>();
    for (Finding f : assessment.findings()) {
      if (f.outcome() == Outcome.MET && f.rule().mitigation() != null) {
        byText.computeIfAbsent(f.rule().mitigation(), k -> new ArrayList<>()).add(f.rule());
      }
    }
    List<PlannedActivity> out = new ArrayList<>();
    byText.forEach((text, rules) -> out.add(new PlannedActivity("precaution-mitigation", text,
        Timing.throughout(first, last, "Throughout the course"), rules)));
    return out;
  }

  /**
   * Female and aged 18-55 at the as-of date. Without a birth date the test is planned anyway: a
   * missing test is the worse error, and such a plan is a draft (IND-ADULT unknown) in any case.
   */
  static boolean needsPregnancyTest(PatientFacts patient, LocalDate asOf) {
    if (patient.sex() != PatientFacts.AdministrativeSex.FEMALE) {
      return false;
    }
    if (patient.birthDate() == null) {
      return true;
    }
    int age = Period.between(patient.birthDate(), asOf).getYears();
    return age >= PREGNANCY_TEST_MIN_AGE && age <= PREGNANCY_TEST_MAX_AGE;
  }

  private static boolean atLeastModerate(Assessment assessment, Risk risk) {
    Risk.Level level = assessment.risks().get(risk);
    return level == Risk.Level.MODERATE || level == Risk.Level.HIGH;
  }
}
