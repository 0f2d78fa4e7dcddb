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
import java.util.EnumSet;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * Proposes the infusion course of CLINICAL-RULES § 5, § 5.1 and § 7.15 for an assessment: the protocol and dose,
 * the sessions on the site's infusion days, the infusion order at the site's concentration, and each monitoring
 * step once, as a clinical action with its timing and the rules that call for it.
 */
public final class InfusionPlanner {

  static final BigDecimal CRPS_MG_PER_KG_PER_HOUR = new BigDecimal("0.35");
  static final int CRPS_MAX_RATE_MG_PER_HOUR = 25;
  static final int SCI_FIXED_DOSE_MG = 80;
  static final BigDecimal STANDARD_MG_PER_KG = new BigDecimal("0.5");
  static final int PREGNANCY_TEST_MIN_AGE = 18;
  static final int PREGNANCY_TEST_MAX_AGE = 55;
  static final int BP_INTERVAL_MINUTES = 15;
  static final int OBSERVATION_MINUTES = InfusionOrder.OBSERVATION_MINUTES;
  static final List<Integer> FOLLOW_UP_WEEKS = List.of(1, 4, 12);

  private final SiteSettings site;

  /** A planner with the specification's default site settings (Monday to Friday, 1 mg/mL, no drugs named). */
  public InfusionPlanner() {
    this(SiteSettings.defaults());
  }

  public InfusionPlanner(SiteSettings site) {
    this.site = java.util.Objects.requireNonNull(site, "site settings");
  }

  public SiteSettings site() {
    return site;
  }

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
    ClinicCalendar calendar = site.calendar();
    if (req.start() != null && req.start().isBefore(asOf)) {
      throw new IllegalArgumentException("the plan cannot start on " + req.start() + ", before the assessment date "
          + asOf + ": choose a start on or after " + asOf);
    }
    LocalDate start = req.start() != null ? req.start() : calendar.after(asOf);
    ProtocolId protocol = req.protocol() != null ? req.protocol() : ProtocolId.defaultFor(assessment.indicationGroup());
    int sessions = req.sessions() != null ? req.sessions() : protocol.defaultSessions();
    // The dose is computed from the weight as printed (one decimal), so that the calculation shown to
    // the clinician reproduces the dose exactly.
    BigDecimal kg = assessment.weight().kilograms().setScale(1, RoundingMode.HALF_UP);
    Dose dose = dose(protocol, kg);

    List<LocalDate> dates = calendar.sessions(start, sessions);
    List<String> cautions = new ArrayList<>();
    if (!dates.get(0).equals(start)) {
      cautions.add(start + " is not an infusion day of this clinic: the course starts on the next one, "
          + dates.get(0) + ".");
    }
    List<LocalDate> gaps = ClinicCalendar.gaps(dates);
    if (protocol == ProtocolId.P_SCI && !gaps.isEmpty()) {
      cautions.add("P-SCI was studied as " + ProtocolId.P_SCI.defaultSessions() + " sessions on consecutive days "
          + "(Amr 2010); on this clinic's infusion days the series is broken (no session on " + dayList(gaps)
          + "). Consider it, or choose a start that keeps the sessions consecutive.");
    }
    List<LocalDate> followUps = FOLLOW_UP_WEEKS.stream().map(w -> calendar.followUp(dates.get(dates.size() - 1), w))
        .toList();
    List<PlannedActivity> activities = activities(assessment, dates, followUps);
    InfusionOrder order = InfusionOrder.of(dose.mg, protocol.minutesPerSession(), sessions, site);
    return Optional.of(new InfusionPlan(protocol, sessions, dose.mg, dose.rate, protocol.minutesPerSession(), kg,
        dates, activities, assessment.verdict() == Verdict.NEEDS_INFORMATION, dose.calculation, order, followUps,
        cautions, assessment.painBaseline()));
  }

  private static String dayList(List<LocalDate> days) {
    List<String> words = days.stream().map(d -> d + " (" + d.getDayOfWeek().getDisplayName(
        java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH) + ")").toList();
    return words.size() <= 4 ? String.join(", ", words)
        : String.join(", ", words.subList(0, 4)) + " and " + (words.size() - 4) + " more";
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

  /**
   * Each monitoring step once (§ 5): the protocol's own steps, then the steps a met precaution or interaction adds
   * as its own clinical action. A mitigation that an existing step already is (e.g. "BP monitoring" for INT-MAOI)
   * adds its rule to that step's reasons instead of repeating it.
   */
  private static List<PlannedActivity> activities(Assessment assessment, List<LocalDate> dates,
      List<LocalDate> followUps) {
    LocalDate first = dates.get(0);
    LocalDate last = dates.get(dates.size() - 1);
    Steps steps = new Steps();
    Set<RuleId> met = EnumSet.noneOf(RuleId.class);
    for (Finding f : assessment.findings()) {
      if (f.outcome() == Outcome.MET) {
        met.add(f.rule());
      }
    }
    steps.add("pre-infusion-vitals", "Blood pressure, heart rate and SpO2 before the infusion",
        Timing.before(dates, "Before each session"));
    if (needsPregnancyTest(assessment.patient(), assessment.asOf())) {
      steps.add("pregnancy-test", "Pregnancy test (female patient aged 18-55)",
          Timing.before(List.of(first), "Before the first session"));
    }
    if (atLeastModerate(assessment, Risk.CARDIOVASCULAR) || met.contains(RuleId.PR_CARDIOVASCULAR)) {
      steps.add("baseline-ecg", "Baseline 12-lead ECG (cardiovascular risk "
          + level(assessment, Risk.CARDIOVASCULAR) + ")", Timing.before(List.of(first), "Before the first session"));
    }
    if (atLeastModerate(assessment, Risk.HEPATOTOXICITY) || met.contains(RuleId.PR_HEPATIC)) {
      String risk = level(assessment, Risk.HEPATOTOXICITY);
      steps.add("liver-tests-before", "Liver tests (ALT, AST) before the course (hepatotoxicity risk " + risk + ")",
          Timing.before(List.of(first), "Before the first session"));
      steps.add("liver-tests-after", "Liver tests (ALT, AST) after the course (hepatotoxicity risk " + risk + ")",
          Timing.after(List.of(last), null, "After the last session"));
    }
    steps.add("continuous-spo2-hr", "Continuous SpO2 and heart rate during the infusion",
        Timing.during(dates, null, "Continuously during each session"));
    steps.add("bp-every-15-min", "Blood pressure every " + BP_INTERVAL_MINUTES + " minutes during the infusion",
        Timing.during(dates, BP_INTERVAL_MINUTES, "Every " + BP_INTERVAL_MINUTES + " minutes during each session"));
    if (met.contains(RuleId.PR_CARDIOVASCULAR)) {
      steps.add("continuous-ecg", "Continuous ECG during the infusion",
          Timing.during(dates, null, "Continuously during each session"));
    }
    if (met.contains(RuleId.INT_OPIOID) && met.contains(RuleId.INT_BENZODIAZEPINE)) {
      steps.add("capnography", "Capnography (end-tidal CO2) during the infusion: opioid and benzodiazepine add "
          + "to ketamine's sedation and respiratory depression", Timing.during(dates, null,
          "Continuously during each session"));
    }
    if (met.contains(RuleId.PR_BIPOLAR)) {
      steps.add("psychiatric-review", "Psychiatric review before the course",
          Timing.before(List.of(first), "Before the first session"));
    }
    if (met.contains(RuleId.PR_BIPOLAR) || met.contains(RuleId.PR_SUBSTANCE_HISTORY)) {
      steps.add("emergence-watch", "Watch for emergence reactions (hallucinations, agitation, dissociation)",
          Timing.during(dates, null, "During and after each session"));
    }
    if (met.contains(RuleId.PR_HYPERTENSION)) {
      steps.add("bp-after-infusion", "Blood pressure after the infusion, before discharge",
          Timing.after(dates, null, "After each session"));
    }
    steps.add("post-infusion-observation", "Observation for at least " + OBSERVATION_MINUTES
        + " minutes after the infusion, until the discharge criteria are met",
        Timing.after(dates, OBSERVATION_MINUTES, "At least " + OBSERVATION_MINUTES + " minutes after each session"));
    if (met.contains(RuleId.PR_SUBSTANCE_HISTORY)) {
      steps.add("no-take-home", "Universal precautions: ketamine given in the clinic only, never taken home",
          Timing.throughout(first, last, "Throughout the course"));
    }
    if (met.contains(RuleId.PR_ELEVATED_IOP) || met.contains(RuleId.PR_INTRACRANIAL)) {
      steps.add("dose-caution", "Consider a lower dose; extreme caution with raised intraocular or intracranial "
          + "pressure", Timing.throughout(first, last, "Throughout the course"));
    }
    steps.add("pain-follow-up", painFollowUp(assessment.painBaseline()),
        Timing.on(followUps, "1, 4 and 12 weeks after the last session (on infusion days)"));
    for (RuleId rule : met) {
      for (String code : STEPS_FOR.getOrDefault(rule, List.of())) {
        steps.because(code, rule);
      }
    }
    return steps.build();
  }

  /** "Pain score follow-up: baseline 8 → response if 5.6 or less (at least 30 % lower)". */
  static String painFollowUp(PainScore baseline) {
    String text = "Pain score follow-up (response: at least 30 % lower than baseline)";
    if (baseline == null) {
      return text + "; no baseline score yet: record one before the first session";
    }
    String b = baseline.score().stripTrailingZeros().toPlainString();
    if (baseline.responseTarget() == null) {
      return text + "; baseline " + b + ": no reduction can be computed from a baseline of 0";
    }
    return "Pain score follow-up: baseline " + b + " (" + baseline.date() + ") → response if "
        + baseline.responseTarget().toPlainString() + " or less (at least 30 % lower)";
  }

  /**
   * Which steps carry out each precaution's or interaction's mitigation (§ 2.3): the rule becomes a reason of
   * those steps. Steps that exist only for a rule (continuous ECG, capnography, …) are added above.
   */
  private static final Map<RuleId, List<String>> STEPS_FOR = Map.ofEntries(
      Map.entry(RuleId.PR_HYPERTENSION, List.of("pre-infusion-vitals", "bp-every-15-min", "bp-after-infusion")),
      Map.entry(RuleId.PR_CARDIOVASCULAR, List.of("baseline-ecg", "continuous-ecg")),
      Map.entry(RuleId.PR_TACHYCARDIA, List.of("continuous-spo2-hr")),
      Map.entry(RuleId.PR_HEPATIC, List.of("liver-tests-before", "liver-tests-after")),
      Map.entry(RuleId.PR_SUBSTANCE_HISTORY, List.of("no-take-home", "emergence-watch")),
      Map.entry(RuleId.PR_BIPOLAR, List.of("psychiatric-review", "emergence-watch")),
      Map.entry(RuleId.PR_ELEVATED_IOP, List.of("dose-caution")),
      Map.entry(RuleId.PR_INTRACRANIAL, List.of("dose-caution")),
      Map.entry(RuleId.PR_HYPERTHYROIDISM, List.of("bp-every-15-min", "continuous-spo2-hr")),
      Map.entry(RuleId.INT_OPIOID, List.of("continuous-spo2-hr", "capnography")),
      Map.entry(RuleId.INT_BENZODIAZEPINE, List.of("continuous-spo2-hr", "capnography")),
      Map.entry(RuleId.INT_CNS_DEPRESSANT, List.of("continuous-spo2-hr")),
      Map.entry(RuleId.INT_SYMPATHOMIMETIC, List.of("pre-infusion-vitals", "bp-every-15-min", "continuous-spo2-hr")),
      Map.entry(RuleId.INT_MAOI, List.of("bp-every-15-min")));

  /** The plan's steps in order, each once, with the rules that call for it. */
  private static final class Steps {
    private final Map<String, PlannedActivity> byCode = new LinkedHashMap<>();
    private final Map<String, List<RuleId>> reasons = new LinkedHashMap<>();

    void add(String code, String description, Timing timing) {
      byCode.put(code, new PlannedActivity(code, description, timing, List.of()));
    }

    void because(String code, RuleId rule) {
      if (byCode.containsKey(code)) {
        reasons.computeIfAbsent(code, k -> new ArrayList<>()).add(rule);
      }
    }

    List<PlannedActivity> build() {
      List<PlannedActivity> out = new ArrayList<>();
      byCode.forEach((code, a) -> out.add(new PlannedActivity(code, a.description(), a.timing(),
          reasons.getOrDefault(code, List.of()))));
      return out;
    }
  }

  private static String level(Assessment assessment, Risk risk) {
    Risk.Level level = assessment.risks().get(risk);
    return level == null ? "not assessed" : level.code();
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
