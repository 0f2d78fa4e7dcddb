package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * CI-UNCONTROLLED-HTN, CI-CARDIOVASCULAR, PR-HYPERTENSION, PR-CARDIOVASCULAR, PR-TACHYCARDIA,
 * PR-HYPERTHYROIDISM and DATA-BP (CLINICAL-RULES § 2.2–2.4, § 7.4, § 7.8).
 */
final class CardiovascularRules implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    RuleSettings settings = facts.settings();
    List<BloodPressureReading> recent = facts.recentBloodPressures();
    BloodPressureReading latest = recent.isEmpty() ? null : recent.get(0);

    boolean uncontrolled = latest != null && (above(latest.systolic(), settings.uncontrolledSystolic())
        || above(latest.diastolic(), settings.uncontrolledDiastolic()));
    String uncontrolledLimit = " (> " + settings.uncontrolledSystolic() + "/" + settings.uncontrolledDiastolic() + ")";
    if (uncontrolled) {
      sheet.met(RuleId.CI_UNCONTROLLED_HTN, reading(latest, uncontrolledLimit));
    } else {
      sheet.notMet(RuleId.CI_UNCONTROLLED_HTN, latest == null
          ? "no blood pressure within " + settings.bloodPressureWindowDays() + " days"
          : "latest " + latest.describe() + " (not above " + settings.uncontrolledSystolic() + "/"
              + settings.uncontrolledDiastolic() + ")");
    }

    hypertensionPrecaution(facts, sheet, latest, uncontrolled);
    cardiovascularDisease(facts, sheet);
    tachycardia(facts, sheet);
    sheet.metOrNot(RuleId.PR_HYPERTHYROIDISM,
        new Evidence().addConditions(facts.activeConditions(ValueSetId.HYPERTHYROIDISM)),
        "no active hyperthyroidism");
    bloodPressureData(facts, sheet, recent);
  }

  private static void hypertensionPrecaution(ClinicalFacts facts, FindingSheet sheet, BloodPressureReading latest,
      boolean uncontrolled) {
    RuleSettings settings = facts.settings();
    if (uncontrolled) {
      sheet.notMet(RuleId.PR_HYPERTENSION, "superseded by CI-UNCONTROLLED-HTN");
      return;
    }
    Evidence evidence = new Evidence();
    if (latest != null && (atLeast(latest.systolic(), settings.elevatedSystolic())
        || atLeast(latest.diastolic(), settings.elevatedDiastolic()))) {
      evidence = reading(latest, " (≥ " + settings.elevatedSystolic() + "/" + settings.elevatedDiastolic() + ")");
    }
    evidence.addConditions(facts.activeConditions(ValueSetId.HYPERTENSION));
    sheet.metOrNot(RuleId.PR_HYPERTENSION, evidence, latest == null
        ? "no active hypertension and no blood pressure within " + settings.bloodPressureWindowDays() + " days"
        : "no active hypertension; latest " + latest.describe() + " (below " + settings.elevatedSystolic() + "/"
            + settings.elevatedDiastolic() + ")");
  }

  private static void cardiovascularDisease(ClinicalFacts facts, FindingSheet sheet) {
    int recentDays = facts.settings().recentCardiovascularEventDays();
    List<PresentCondition> recentEvents = new ArrayList<>();
    List<PresentCondition> olderEvents = new ArrayList<>();
    for (ValueSetId eventSet : List.of(ValueSetId.MYOCARDIAL_INFARCTION, ValueSetId.CEREBROVASCULAR_ACCIDENT)) {
      for (PresentCondition event : facts.conditions(eventSet)) {
        // § 7.4: history and sequela codes, and undated events, count as older than the window
        boolean pastEvent = "history".equals(event.group()) || "sequela".equals(event.group());
        if (!pastEvent && facts.withinDays(event.date(), recentDays)) {
          recentEvents.add(event);
        } else {
          olderEvents.add(event);
        }
      }
    }

    Evidence contraindication = new Evidence()
        .addConditions(facts.activeConditions(ValueSetId.HEART_FAILURE))
        .addConditions(facts.activeConditions(ValueSetId.UNSTABLE_ANGINA))
        .addConditions(recentEvents, " (within " + recentDays + " days)");
    sheet.metOrNot(RuleId.CI_CARDIOVASCULAR, contraindication,
        "no active heart failure or unstable angina, no MI or stroke within " + recentDays + " days");

    Evidence precaution = new Evidence()
        .addConditions(facts.conditions(ValueSetId.STABLE_CARDIOVASCULAR_DISEASE))
        .addConditions(facts.conditions(ValueSetId.ARRHYTHMIA))
        .addConditions(olderEvents, " (more than " + recentDays + " days ago)");
    sheet.metOrNot(RuleId.PR_CARDIOVASCULAR, precaution,
        "no stable cardiovascular disease, arrhythmia, or earlier MI or stroke");
  }

  private static void tachycardia(ClinicalFacts facts, FindingSheet sheet) {
    RuleSettings settings = facts.settings();
    Measurement rate = facts.latestWithin("heart-rate", settings.heartRateWindowDays());
    if (rate == null) {
      sheet.notMet(RuleId.PR_TACHYCARDIA, "no heart rate within " + settings.heartRateWindowDays() + " days");
      return;
    }
    String sentence = "heart rate " + EvidenceText.number(rate.value()) + " /min on " + rate.date();
    if (above(rate.value(), settings.tachycardiaRate())) {
      sheet.met(RuleId.PR_TACHYCARDIA,
          new Evidence().add(rate.reference(), sentence + " (> " + settings.tachycardiaRate() + ")", rate.date()));
    } else {
      sheet.notMet(RuleId.PR_TACHYCARDIA, List.of(rate.reference()), "latest " + sentence, rate.date());
    }
  }

  private static void bloodPressureData(ClinicalFacts facts, FindingSheet sheet, List<BloodPressureReading> recent) {
    for (BloodPressureReading reading : recent) {
      if (reading.systolic() != null) {
        sheet.notMet(RuleId.DATA_BP, reading.references(), "latest " + reading.describe(), reading.effective().date());
        return;
      }
    }
    List<String> lookedAt = recent.stream().flatMap(r -> r.references().stream()).toList();
    sheet.unknown(RuleId.DATA_BP, lookedAt, "no blood pressure with a systolic value within "
        + facts.settings().bloodPressureWindowDays() + " days (since " + facts.asOf()
        .minusDays(facts.settings().bloodPressureWindowDays()) + ")", null);
  }

  private static Evidence reading(BloodPressureReading reading, String limit) {
    Evidence evidence = new Evidence();
    List<String> references = reading.references();
    for (int i = 0; i < references.size(); i++) {
      evidence.add(references.get(i), i == 0 ? reading.describe() + limit : null, reading.effective().date());
    }
    return evidence;
  }

  private static boolean above(BigDecimal value, int limit) {
    return value != null && value.compareTo(BigDecimal.valueOf(limit)) > 0;
  }

  private static boolean atLeast(BigDecimal value, int limit) {
    return value != null && value.compareTo(BigDecimal.valueOf(limit)) >= 0;
  }
}
