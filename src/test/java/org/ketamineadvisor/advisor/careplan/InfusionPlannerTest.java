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
    void sessionsOnInfusionDaysFromTheFirstInfusionDayAfterAsOf() {
      // 2026-06-01 is a Monday: Tuesday to Friday, then Monday; no Saturday or Sunday under the defaults
      InfusionPlan p = plan(anAssessment());
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3),
          LocalDate.of(2026, 6, 4), LocalDate.of(2026, 6, 5), LocalDate.of(2026, 6, 8));
      assertThat(p.cautions()).isEmpty();
    }

    @Test
    void aCrpsCourseOfTenSessionsTakesTwoWorkingWeeks() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CRPS));
      assertThat(p.sessionDates()).hasSize(10).allSatisfy(d -> assertThat(d.getDayOfWeek())
          .isNotIn(java.time.DayOfWeek.SATURDAY, java.time.DayOfWeek.SUNDAY));
      assertThat(p.lastSession()).isEqualTo(LocalDate.of(2026, 6, 15));
    }

    @Test
    void requestedStartAndSessionsAcrossAMonthEnd() {
      InfusionPlan p = plan(anAssessment(), new PlanRequest(null, LocalDate.of(2026, 6, 29), 3));
      assertThat(p.sessions()).isEqualTo(3);
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 29), LocalDate.of(2026, 6, 30),
          LocalDate.of(2026, 7, 1));
    }

    @Test
    void aStartOnASaturdayMovesToMondayAndSaysSo() {
      InfusionPlan p = plan(anAssessment(), new PlanRequest(null, LocalDate.of(2026, 6, 6), 2));
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 8), LocalDate.of(2026, 6, 9));
      assertThat(p.cautions()).singleElement().asString()
          .isEqualTo("2026-06-06 is not an infusion day of this clinic: the course starts on the next one, 2026-06-08.");
    }

    @Test
    void closuresAreSkippedAndTheSiteCalendarIsUsed() {
      SiteSettings site = new SiteSettings(BigDecimal.ONE, java.util.EnumSet.of(java.time.DayOfWeek.MONDAY,
          java.time.DayOfWeek.WEDNESDAY, java.time.DayOfWeek.FRIDAY), java.util.Set.of(LocalDate.of(2026, 6, 3)),
          null, List.of(), List.of());
      InfusionPlan p = new InfusionPlanner(site).propose(anAssessment().build(), PlanRequest.defaults()).orElseThrow();
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 5), LocalDate.of(2026, 6, 8),
          LocalDate.of(2026, 6, 10), LocalDate.of(2026, 6, 12), LocalDate.of(2026, 6, 15));
    }

    @Test
    void aSciSeriesBrokenByTheWeekendCarriesTheCaution() {
      InfusionPlan p = plan(anAssessment().group(IndicationGroup.CENTRAL));
      assertThat(p.protocol()).isEqualTo(ProtocolId.P_SCI);
      assertThat(p.sessionDates()).hasSize(7).doesNotContain(LocalDate.of(2026, 6, 6), LocalDate.of(2026, 6, 7));
      assertThat(p.cautions()).singleElement().asString().contains("7 sessions on consecutive days (Amr 2010)")
          .contains("no session on 2026-06-06 (Sat), 2026-06-07 (Sun)");
    }

    @Test
    void aSciSeriesOnSevenConsecutiveDaysCarriesNoCaution() {
      SiteSettings everyDay = new SiteSettings(BigDecimal.ONE, java.util.EnumSet.allOf(java.time.DayOfWeek.class),
          java.util.Set.of(), null, List.of(), List.of());
      InfusionPlan p = new InfusionPlanner(everyDay).propose(anAssessment().group(IndicationGroup.CENTRAL).build(),
          PlanRequest.defaults()).orElseThrow();
      assertThat(p.sessionDates()).containsExactly(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3),
          LocalDate.of(2026, 6, 4), LocalDate.of(2026, 6, 5), LocalDate.of(2026, 6, 6), LocalDate.of(2026, 6, 7),
          LocalDate.of(2026, 6, 8));
      assertThat(p.cautions()).isEmpty();
      // a P-STANDARD course over a weekend is not cautioned: only P-SCI was studied on consecutive days
      assertThat(plan(anAssessment()).cautions()).isEmpty();
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
    void painFollowUpIs1_4And12WeeksAfterTheLastSessionOnInfusionDays() {
      // last session Monday 2026-06-08: 1, 4 and 12 weeks later are Mondays too
      InfusionPlan p = plan(anAssessment());
      PlannedActivity followUp = activity(p, "pain-follow-up");
      assertThat(followUp.timing().dates()).containsExactly(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 6),
          LocalDate.of(2026, 8, 31));
      assertThat(p.followUps()).isEqualTo(followUp.timing().dates());
      assertThat(p.end()).isEqualTo(LocalDate.of(2026, 8, 31));
    }

    @Test
    void aFollowUpDueOnAClosedDayMovesToTheNextInfusionDay() {
      SiteSettings site = new SiteSettings(BigDecimal.ONE, java.util.EnumSet.range(java.time.DayOfWeek.MONDAY,
          java.time.DayOfWeek.FRIDAY), java.util.Set.of(LocalDate.of(2026, 7, 6)), null, List.of(), List.of());
      InfusionPlan p = new InfusionPlanner(site).propose(anAssessment().build(), PlanRequest.defaults()).orElseThrow();
      assertThat(p.followUps()).containsExactly(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 7),
          LocalDate.of(2026, 8, 31));
    }

    @Test
    void theFollowUpStatesTheBaselineAndTheResponseTarget() {
      assertThat(activity(plan(anAssessment().painBaseline("8")), "pain-follow-up").description())
          .isEqualTo("Pain score follow-up: baseline 8 (2026-05-22) → response if 5.6 or less (at least 30 % lower)");
      assertThat(activity(plan(anAssessment().painBaseline("0")), "pain-follow-up").description())
          .contains("no reduction can be computed from a baseline of 0");
      assertThat(activity(plan(anAssessment().painBaseline(null).verdict(Verdict.NEEDS_INFORMATION)),
          "pain-follow-up").description()).contains("no baseline score yet");
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
    void eachMonitoringStepAppearsOnceWithTheRulesThatCallForIt() {
      InfusionPlan p = plan(anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)
          .met(RuleId.PR_HYPERTENSION, "Condition/htn").met(RuleId.INT_OPIOID, "MedicationRequest/m1")
          .met(RuleId.INT_BENZODIAZEPINE, "MedicationRequest/m2").met(RuleId.PR_ELEVATED_IOP)
          .met(RuleId.PR_INTRACRANIAL).met(RuleId.INT_MAOI, "MedicationRequest/m3"));
      assertThat(codes(p)).doesNotHaveDuplicates().doesNotContain("precaution-mitigation").containsExactly(
          "pre-infusion-vitals", "continuous-spo2-hr", "bp-every-15-min", "capnography", "bp-after-infusion",
          "post-infusion-observation", "dose-caution", "pain-follow-up");
      assertThat(activity(p, "bp-every-15-min").rules()).containsExactly(RuleId.PR_HYPERTENSION, RuleId.INT_MAOI);
      assertThat(activity(p, "continuous-spo2-hr").rules())
          .containsExactly(RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE);
      assertThat(activity(p, "capnography").description()).startsWith("Capnography (end-tidal CO2)");
      assertThat(activity(p, "capnography").timing().dates()).isEqualTo(p.sessionDates());
      assertThat(activity(p, "dose-caution").rules()).containsExactly(RuleId.PR_ELEVATED_IOP, RuleId.PR_INTRACRANIAL);
      assertThat(activity(p, "dose-caution").timing().dates()).containsExactly(p.firstSession(), p.lastSession());
    }

    @Test
    void anOpioidAloneAddsNoCapnographyButIsAReasonForContinuousSpo2() {
      InfusionPlan p = plan(anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)
          .met(RuleId.INT_OPIOID, "MedicationRequest/m1"));
      assertThat(codes(p)).doesNotContain("capnography");
      assertThat(activity(p, "continuous-spo2-hr").rules()).containsExactly(RuleId.INT_OPIOID);
    }

    @Test
    void precautionsAddTheirOwnClinicalActions() {
      InfusionPlan p = plan(anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)
          .met(RuleId.PR_CARDIOVASCULAR, "Condition/af").met(RuleId.PR_BIPOLAR, "Condition/bp")
          .met(RuleId.PR_SUBSTANCE_HISTORY, "Condition/aud").met(RuleId.PR_HEPATIC, "Condition/nafld"));
      assertThat(codes(p)).contains("baseline-ecg", "continuous-ecg", "psychiatric-review", "emergence-watch",
          "no-take-home", "liver-tests-before", "liver-tests-after").doesNotHaveDuplicates();
      assertThat(activity(p, "emergence-watch").rules()).containsExactly(RuleId.PR_SUBSTANCE_HISTORY,
          RuleId.PR_BIPOLAR);
      assertThat(activity(p, "baseline-ecg").rules()).containsExactly(RuleId.PR_CARDIOVASCULAR);
    }

    @Test
    void unknownOrNotMetPrecautionsAddNoStep() {
      InfusionPlan p = plan(anAssessment().unknown(RuleId.DATA_BP));
      assertThat(codes(p)).containsExactly("pre-infusion-vitals", "continuous-spo2-hr", "bp-every-15-min",
          "post-infusion-observation", "pain-follow-up");
      assertThat(p.activities()).allSatisfy(a -> assertThat(a.rules()).isEmpty());
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
