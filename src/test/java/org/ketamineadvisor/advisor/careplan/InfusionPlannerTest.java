package org.ketamineadvisor.advisor.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.careplan.AnAssessment.AS_OF;
import static org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.assessment.IndicationGroup;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;

class InfusionPlannerTest {
  private final InfusionPlanner planner = new InfusionPlanner();

  private InfusionPlan plan(AnAssessment a) {
    return planner.propose(a.build(), PlanRequest.defaults()).orElseThrow();
  }

  private InfusionPlan plan(AnAssessment a, PlanRequest request) {
    return planner.propose(a.build(), request).orElseThrow();
  }

  private static List<String> codes(InfusionPlan p) {
    return p.activities().stream().map(PlannedActivity::code).toList();
  }

  @Nested
  class WhenAPlanIsProposed {
    @Test
    void noPlanForVerdictsThatAllowNoProtocol() {
      assertThat(planner.propose(anAssessment().verdict(Verdict.CONTRAINDICATED).build(), PlanRequest.defaults()))
          .isEmpty();
      assertThat(planner.propose(anAssessment().verdict(Verdict.NOT_INDICATED).build(), null)).isEmpty();
    }

    @Test
    void noPlanWithoutAWeight() {
      assertThat(planner.propose(anAssessment().noWeight().build(), PlanRequest.defaults())).isEmpty();
    }

    @Test
    void needsInformationGivesADraftAndSuitableVerdictsDoNot() {
      assertThat(plan(anAssessment().verdict(Verdict.NEEDS_INFORMATION)).draft()).isTrue();
      assertThat(plan(anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)).draft()).isFalse();
      assertThat(plan(anAssessment().verdict(Verdict.SUITABLE)).draft()).isFalse();
    }
  }

  @Nested
  class Protocols {
    @Test
    void defaultProtocolFollowsTheBestIndicationGroup() {
      assertThat(plan(anAssessment().group(IndicationGroup.CRPS)).protocol()).isEqualTo(ProtocolId.P_CRPS);
      assertThat(plan(anAssessment().group(IndicationGroup.CENTRAL)).protocol()).isEqualTo(ProtocolId.P_SCI);
      assertThat(plan(anAssessment().group(IndicationGroup.PERIPHERAL)).protocol()).isEqualTo(ProtocolId.P_STANDARD);
      assertThat(plan(anAssessment().group(IndicationGroup.OTHER)).protocol()).isEqualTo(ProtocolId.P_STANDARD);
    }

    @Test
    void clinicianMayPickAnotherProtocol() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS), new PlanRequest(ProtocolId.P_STANDARD, null, null));
      assertThat(p.protocol()).isEqualTo(ProtocolId.P_STANDARD);
      assertThat(p.doseMg()).isEqualTo(40);
    }

    @Test
    void standardAt80kg() {
      InfusionPlan p = plan(anAssessment().weight("80"));
      assertThat(p.doseMg()).isEqualTo(40);
      assertThat(p.rateMgPerHour()).isNull();
      assertThat(p.minutesPerSession()).isEqualTo(40);
      assertThat(p.sessions()).isEqualTo(5);
      assertThat(p.weightKg()).isEqualByComparingTo("80.0").hasToString("80.0");
      assertThat(p.doseCalculation()).isEqualTo("0.5 mg/kg × 80.0 kg = 40 mg over 40 min");
    }

    @Test
    void crpsAt80kgIsCappedAt25mgPerHour() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS).weight("80"));
      assertThat(p.rateMgPerHour()).isEqualTo(25);
      assertThat(p.doseMg()).isEqualTo(100);
      assertThat(p.minutesPerSession()).isEqualTo(240);
      assertThat(p.sessions()).isEqualTo(10);
      assertThat(p.doseCalculation())
          .isEqualTo("0.35 mg/kg/h × 80.0 kg = 28 mg/h, capped at 25 mg/h; 25 mg/h × 4 h = 100 mg over 240 min");
    }

    @Test
    void crpsAt71point4kgRoundsUpTo25WithoutTheCap() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS).weight("71.4"));
      assertThat(p.rateMgPerHour()).isEqualTo(25);
      assertThat(p.doseMg()).isEqualTo(100);
      assertThat(p.doseCalculation()).startsWith("0.35 mg/kg/h × 71.4 kg = 24.99 mg/h, rounded to 25 mg/h;");
    }

    @ParameterizedTest(name = "P-CRPS {0} kg → {1} mg/h")
    @CsvSource({"40.0, 14", "50.0, 18", "60.0, 21", "69.9, 24", "70.0, 25", "72.8, 25", "72.9, 25", "120.0, 25",
        // 0.35 × 41.5 = 14.525 → 15; 0.35 × 30.0 = 10.5 → 11: exact halves round up
        "41.5, 15", "30.0, 11"})
    void crpsRateRoundsHalfUpAndCapsAt25(String kg, int rate) {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS).weight(kg));
      assertThat(p.rateMgPerHour()).isEqualTo(rate);
      assertThat(p.doseMg()).isEqualTo(rate * 4);
    }

    @Test
    void theCapIsWhatLimitsTheRateFrom72point9kg() {
      assertThat(plan(anAssessment().group(IndicationGroup.CRPS).weight("72.8")).doseCalculation())
          .doesNotContain("capped");
      assertThat(plan(anAssessment().group(IndicationGroup.CRPS).weight("72.9")).doseCalculation())
          .contains("25.515 mg/h, capped at 25 mg/h");
    }

    @ParameterizedTest(name = "P-STANDARD {0} kg → {1} mg")
    @CsvSource({"80.0, 40", "71.4, 36", "71.0, 36", "70.9, 35", "55.5, 28", "100.2, 50"})
    void standardDoseRoundsHalfUp(String kg, int mg) {
      assertThat(plan(anAssessment().weight(kg)).doseMg()).isEqualTo(mg);
    }

    @Test
    void weightIsRoundedToOneDecimalBeforeTheDose() {
      // 70.95 kg prints as 71.0 kg; the dose is computed from 71.0 (35.5 → 36), not from 70.95 (35.475 → 35)
      InfusionPlan p = plan(anAssessment().weight("70.95"));
      assertThat(p.weightKg()).isEqualTo(new BigDecimal("71.0"));
      assertThat(p.doseMg()).isEqualTo(36);
      assertThat(p.doseCalculation()).isEqualTo("0.5 mg/kg × 71.0 kg = 35.5 mg, rounded to 36 mg over 40 min");
    }

    @Test
    void sciIsAFixed80mgOverFiveHours() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CENTRAL).weight("95.3"));
      assertThat(p.doseMg()).isEqualTo(80);
      assertThat(p.rateMgPerHour()).isNull();
      assertThat(p.minutesPerSession()).isEqualTo(300);
      assertThat(p.sessions()).isEqualTo(7);
      assertThat(p.doseCalculation()).isEqualTo("80 mg fixed dose over 300 min");
    }
  }

  @Nested
  class Schedule {
    @Test
    void sessionsOnConsecutiveDaysFromTheDayAfterAsOf() {
      InfusionPlan p = plan(anAssessment());
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3),
          LocalDate.of(2026, 6, 4), LocalDate.of(2026, 6, 5), LocalDate.of(2026, 6, 6));
    }

    @Test
    void requestedStartAndSessionsAcrossAMonthEnd() {
      InfusionPlan p = plan(anAssessment(), new PlanRequest(null, LocalDate.of(2026, 6, 29), 3));
      assertThat(p.sessions()).isEqualTo(3);
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 29), LocalDate.of(2026, 6, 30),
          LocalDate.of(2026, 7, 1));
    }

    @Test
    void startBeforeAsOfIsRefusedWithTheEarliestDate() {
      assertThatThrownBy(() -> planner.propose(anAssessment().build(), new PlanRequest(null, AS_OF.minusDays(1), null)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on or after 2026-06-01");
    }

    @Test
    void sessionsOutside1To20AreRefused() {
      assertThatThrownBy(() -> new PlanRequest(null, null, 0)).hasMessageContaining("between 1 and 20");
      assertThatThrownBy(() -> new PlanRequest(null, null, 21)).hasMessageContaining("between 1 and 20");
      assertThat(new PlanRequest(null, null, 20).sessions()).isEqualTo(20);
    }

    @Test
    void painFollowUpIs1_4And12WeeksAfterTheLastSession() {
      InfusionPlan p = plan(anAssessment());
      PlannedActivity followUp = activity(p, "pain-follow-up");
      assertThat(followUp.timing().dates()).containsExactly(LocalDate.of(2026, 6, 13), LocalDate.of(2026, 7, 4),
          LocalDate.of(2026, 8, 29));
      assertThat(p.end()).isEqualTo(LocalDate.of(2026, 8, 29));
    }
  }

  @Nested
  class Activities {
    @Test
    void everyPlanHasVitalsIntraInfusionMonitoringObservationAndFollowUp() {
      InfusionPlan p = plan(anAssessment());
      assertThat(codes(p)).containsExactly("pre-infusion-vitals", "continuous-spo2-hr", "bp-every-15-min",
          "post-infusion-observation", "pain-follow-up");
      assertThat(activity(p, "pre-infusion-vitals").timing().dates()).isEqualTo(p.sessionDates());
      assertThat(activity(p, "bp-every-15-min").timing().everyMinutes()).isEqualTo(15);
      assertThat(activity(p, "continuous-spo2-hr").timing().everyMinutes()).isNull();
      assertThat(activity(p, "post-infusion-observation").timing().minimumMinutes()).isEqualTo(60);
      assertThat(activity(p, "post-infusion-observation").timing().when()).isEqualTo(Timing.When.AFTER_SESSION);
    }

    @ParameterizedTest(name = "female born {0} → pregnancy test {1}")
    @CsvSource({
        "2008-06-01, true",   // 18 on the as-of date
        "2008-06-02, false",  // 17: turns 18 the next day
        "1970-06-02, true",   // 55
        "1970-06-01, false",  // 56 on the as-of date
        "1990-03-03, true"})
    void pregnancyTestBeforeTheFirstSessionForWomenAged18To55(LocalDate born, boolean expected) {
      InfusionPlan p = plan(anAssessment().female().born(born));
      assertThat(codes(p).contains("pregnancy-test")).isEqualTo(expected);
      if (expected) {
        assertThat(activity(p, "pregnancy-test").timing().dates()).containsExactly(p.firstSession());
      }
    }

    @Test
    void noPregnancyTestForMen() {
      assertThat(codes(plan(anAssessment().born(LocalDate.of(1990, 1, 1))))).doesNotContain("pregnancy-test");
    }

    @Test
    void pregnancyTestWhenAWomansAgeIsUnknown() {
      assertThat(codes(plan(anAssessment().female().born(null).verdict(Verdict.NEEDS_INFORMATION))))
          .contains("pregnancy-test");
    }

    @Test
    void baselineEcgWhenCardiovascularRiskIsModerateOrHigh() {
      assertThat(codes(plan(anAssessment().risk(Risk.CARDIOVASCULAR, Risk.Level.MODERATE)))).contains("baseline-ecg");
      assertThat(codes(plan(anAssessment().risk(Risk.CARDIOVASCULAR, Risk.Level.HIGH)))).contains("baseline-ecg");
      assertThat(codes(plan(anAssessment()))).doesNotContain("baseline-ecg");
    }

    @Test
    void liverTestsBeforeFirstAndAfterLastSessionWhenHepatotoxicityRiskIsModerate() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS).risk(Risk.HEPATOTOXICITY, Risk.Level.MODERATE));
      assertThat(activity(p, "liver-tests-before").timing().dates()).containsExactly(p.firstSession());
      assertThat(activity(p, "liver-tests-after").timing().dates()).containsExactly(p.lastSession());
      assertThat(activity(p, "liver-tests-after").timing().when()).isEqualTo(Timing.When.AFTER_SESSION);
      assertThat(codes(plan(anAssessment()))).doesNotContain("liver-tests-before", "liver-tests-after");
    }

    @Test
    void mitigationsOfMetPrecautionsAreDeduplicatedInRuleOrder() {
      InfusionPlan p = plan(anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)
          .met(RuleId.PR_HYPERTENSION, "Condition/htn").met(RuleId.INT_OPIOID, "MedicationRequest/m1")
          .met(RuleId.INT_BENZODIAZEPINE, "MedicationRequest/m2").met(RuleId.PR_ELEVATED_IOP)
          .met(RuleId.PR_INTRACRANIAL));
      List<PlannedActivity> mitigations = p.activities().stream()
          .filter(a -> a.code().equals("precaution-mitigation")).toList();
      assertThat(mitigations).extracting(PlannedActivity::description).containsExactly(
          RuleId.PR_HYPERTENSION.mitigation(), RuleId.PR_ELEVATED_IOP.mitigation(), RuleId.INT_OPIOID.mitigation());
      assertThat(mitigations.get(1).rules()).containsExactly(RuleId.PR_ELEVATED_IOP, RuleId.PR_INTRACRANIAL);
      assertThat(mitigations.get(2).rules()).containsExactly(RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE);
      assertThat(mitigations.get(0).timing().dates()).containsExactly(p.firstSession(), p.lastSession());
    }

    @Test
    void unknownOrNotMetPrecautionsAddNoMitigation() {
      InfusionPlan p = plan(anAssessment().unknown(RuleId.DATA_BP));
      assertThat(codes(p)).doesNotContain("precaution-mitigation");
    }
  }

  @Test
  void protocolIdsParseAndUnknownIdsListTheValidOnes() {
    assertThat(ProtocolId.fromId("P-SCI")).isEqualTo(ProtocolId.P_SCI);
    assertThatThrownBy(() -> ProtocolId.fromId("P-FAST"))
        .hasMessage("unknown protocol 'P-FAST': use one of P-CRPS, P-SCI, P-STANDARD");
  }

  private static PlannedActivity activity(InfusionPlan p, String code) {
    return p.activities().stream().filter(a -> a.code().equals(code)).findFirst()
        .orElseThrow(() -> new AssertionError("no activity " + code + " in " + codes(p)));
  }
}
