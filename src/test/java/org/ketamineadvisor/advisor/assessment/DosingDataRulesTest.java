package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** DATA-WEIGHT, DATA-PAIN-BASELINE and the dosing weight (§ 7.9, § 7.13). */
class DosingDataRulesTest {

  @Test
  void aWeightInPoundsIsConvertedToKilograms() {
    Assessment assessment = assess(aPatient().with(aWeight("176.37", "[lb_av]").on(daysBefore(10))));
    assertThat(assessment.weight().kilograms()).isCloseTo(new BigDecimal("80.0"),
        org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
    assertThat(assessment.outcome(RuleId.DATA_WEIGHT)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void aWeightInAnUnknownUnitIsSkippedAndReportedAndTheNextIsUsed() {
    Assessment assessment = assess(aPatient()
        .with(aWeight("12", "stone").id("Observation/w-stone").on(daysBefore(1)))
        .with(aWeight("75.5", "kg").id("Observation/w-kg").on(daysBefore(20))));
    assertThat(assessment.weight()).isEqualTo(new BodyWeight(new BigDecimal("75.5"), daysBefore(20),
        "Observation/w-kg"));
    assertThat(assessment.dataProblems()).singleElement().asString().contains("Observation/w-stone")
        .contains("does not convert to kg");
    assertThat(assessment.finding(RuleId.DATA_WEIGHT).detail()).contains("75.5 kg").contains("Observation/w-stone");
  }

  @Test
  void onlyAnUnconvertibleWeightLeavesTheWeightUnknown() {
    Assessment assessment = assess(aPatient().with(aWeight("12", "stone").id("Observation/w-stone")));
    assertThat(assessment.outcome(RuleId.DATA_WEIGHT)).isEqualTo(Outcome.UNKNOWN);
    assertThat(assessment.finding(RuleId.DATA_WEIGHT).evidence()).containsExactly("Observation/w-stone");
    assertThat(assessment.weight()).isNull();
  }

  @Test
  void theWeightWindowIs90DaysInclusive() {
    assertThat(assess(aPatient().with(aWeight("70", "kg").on(daysBefore(90)))).weight()).isNotNull();
    Assessment outside = assess(aPatient().with(aWeight("70", "kg").on(daysBefore(91))));
    assertThat(outside.weight()).isNull();
    assertThat(outside.outcome(RuleId.DATA_WEIGHT)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void theLatestWeightIsUsed() {
    Assessment assessment = assess(aPatient()
        .with(aWeight("70", "kg").on(daysBefore(50)))
        .with(aWeight("72000", "g").on(daysBefore(5))));
    assertThat(assessment.weight().kilograms()).isEqualByComparingTo("72");
  }

  @Test
  void aPainScoreOnTheZeroToTenScaleWithin90Days() {
    assertThat(assess(aPatient().with(aPainScore("0").on(daysBefore(90)))).outcome(RuleId.DATA_PAIN_BASELINE))
        .isEqualTo(Outcome.NOT_MET);
    assertThat(assess(aPatient().with(aPainScore("6").on(daysBefore(91)))).outcome(RuleId.DATA_PAIN_BASELINE))
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(assess(aPatient().with(aPainScore("11"))).outcome(RuleId.DATA_PAIN_BASELINE))
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(assess(aPatient().with(aPainScore("10"))).finding(RuleId.DATA_PAIN_BASELINE).detail())
        .isEqualTo("pain score 10/10 on " + T);
  }
}
