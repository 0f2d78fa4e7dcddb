package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardiovascularRulesTest {

  @ParameterizedTest(name = "{0}/{1} mmHg → CI {2}, PR {3}")
  @CsvSource({
      "180, 100, NOT_MET, MET",
      "181, 90, MET, NOT_MET",
      "150, 101, MET, NOT_MET",
      "140, 80, NOT_MET, MET",
      "120, 90, NOT_MET, MET",
      "139, 89, NOT_MET, NOT_MET"})
  void bloodPressureThresholds(int systolic, int diastolic, Outcome contraindication, Outcome precaution) {
    Assessment assessment = assess(aPatient().with(aBloodPressure(systolic, diastolic).on(daysBefore(3))));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(contraindication);
    assertThat(assessment.outcome(RuleId.PR_HYPERTENSION)).isEqualTo(precaution);
    assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void uncontrolledHypertensionDetailNamesTheReading() {
    Finding finding = assess(aPatient().with(aBloodPressure(186, 95).id("Observation/bp1").on(daysBefore(12))))
        .finding(RuleId.CI_UNCONTROLLED_HTN);
    assertThat(finding.detail()).isEqualTo("BP 186/95 mmHg on 2026-05-20 (> 180/100)");
    assertThat(finding.evidence()).containsExactly("Observation/bp1");
    assertThat(finding.evidenceDate()).isEqualTo(daysBefore(12));
  }

  @Test
  void theLatestReadingDecidesNotTheWorst() {
    Assessment assessment = assess(aPatient()
        .with(aBloodPressure(200, 110).on(daysBefore(10)))
        .with(aBloodPressure(130, 80).on(daysBefore(2))));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.NOT_MET);
    assertThat(assessment.outcome(RuleId.PR_HYPERTENSION)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void theThirtyDayWindowIsInclusive() {
    Assessment edge = assess(aPatient().with(aBloodPressure(190, 80).on(daysBefore(30))));
    assertThat(edge.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.MET);
    assertThat(edge.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.NOT_MET);

    Assessment outside = assess(aPatient().with(aBloodPressure(190, 80).on(daysBefore(31))));
    assertThat(outside.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.NOT_MET);
    assertThat(outside.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void readingsAfterTheAsOfDateAreIgnored() {
    Assessment assessment = assess(aPatient().with(aBloodPressure(190, 80).on(T.plusDays(1))));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.NOT_MET);
    assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void unusableObservationsAreIgnored() {
    Assessment assessment = assess(aPatient()
        .with(aBloodPressure(190, 80).status("entered-in-error"))
        .with(aBloodPressure(190, 80).status("registered"))
        .with(aSystolic(190).noValue()));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.NOT_MET);
    assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void separateSystolicAndDiastolicAtTheSameTimeFormOneReading() {
    LocalDateTime when = daysBefore(1).atTime(9, 30);
    Assessment assessment = assess(aPatient()
        .with(aSystolic(150).id("Observation/sys").at(when))
        .with(aDiastolic(105).id("Observation/dia").at(when)));
    Finding finding = assessment.finding(RuleId.CI_UNCONTROLLED_HTN);
    assertThat(finding.outcome()).isEqualTo(Outcome.MET);
    assertThat(finding.evidence()).containsExactlyInAnyOrder("Observation/sys", "Observation/dia");
    assertThat(finding.detail()).startsWith("BP 150/105 mmHg");
  }

  @Test
  void aDiastolicOnlyReadingAppliesItsThresholdButDoesNotSatisfyDataBp() {
    Assessment assessment = assess(aPatient().with(aDiastolic(102).on(daysBefore(1))));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void aBloodPressureWithoutUnitIsTakenAsMmHg() {
    Assessment assessment = assess(aPatient().with(aSystolic(190).value(quantity("190", null))));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.MET);
  }

  @Test
  void activeHypertensionIsAPrecautionWithoutAReading() {
    Assessment assessment = assess(aPatient().with(aCondition(Codes.HYPERTENSION).id("Condition/htn")));
    assertThat(assessment.outcome(RuleId.PR_HYPERTENSION)).isEqualTo(Outcome.MET);
    assertThat(assessment.finding(RuleId.PR_HYPERTENSION).evidence()).containsExactly("Condition/htn");
    assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void hypertensionPrecautionGivesWayToTheContraindication() {
    Assessment assessment = assess(aPatient().with(aCondition(Codes.HYPERTENSION))
        .with(aBloodPressure(200, 100)));
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.PR_HYPERTENSION)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void myocardialInfarctionWithin180DaysContraindicatesAndLaterIsAPrecaution() {
    Assessment recent = assess(aPatient().with(aCondition(Codes.MYOCARDIAL_INFARCTION).onset(daysBefore(180))
        .status(ConditionRecord.ClinicalStatus.RESOLVED)));
    assertThat(recent.outcome(RuleId.CI_CARDIOVASCULAR)).isEqualTo(Outcome.MET);
    assertThat(recent.outcome(RuleId.PR_CARDIOVASCULAR)).isEqualTo(Outcome.NOT_MET);

    Assessment older = assess(aPatient().with(aCondition(Codes.MYOCARDIAL_INFARCTION).onset(daysBefore(181))));
    assertThat(older.outcome(RuleId.CI_CARDIOVASCULAR)).isEqualTo(Outcome.NOT_MET);
    assertThat(older.outcome(RuleId.PR_CARDIOVASCULAR)).isEqualTo(Outcome.MET);
  }

  @Test
  void historyOfMiAndUndatedStrokeCountAsOlder() {
    Assessment assessment = assess(aPatient()
        .with(aCondition(Codes.HISTORY_OF_MI).onset(daysBefore(5)))
        .with(aCondition(Codes.STROKE).undated()));
    assertThat(assessment.outcome(RuleId.CI_CARDIOVASCULAR)).isEqualTo(Outcome.NOT_MET);
    assertThat(assessment.finding(RuleId.PR_CARDIOVASCULAR).evidence()).hasSize(2);
  }

  @Test
  void aStrokeDatedOnlyByRecordedDateUsesThatDate() {
    Assessment assessment = assess(aPatient().with(aCondition(Codes.STROKE).recordedOnly(daysBefore(20))));
    assertThat(assessment.outcome(RuleId.CI_CARDIOVASCULAR)).isEqualTo(Outcome.MET);
  }

  @Test
  void heartFailureAndUnstableAnginaContraindicateOnlyWhenActive() {
    assertThat(assess(aPatient().with(aCondition(Codes.HEART_FAILURE))).outcome(RuleId.CI_CARDIOVASCULAR))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aCondition(Codes.UNSTABLE_ANGINA))).outcome(RuleId.CI_CARDIOVASCULAR))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aCondition(Codes.HEART_FAILURE)
        .status(ConditionRecord.ClinicalStatus.RESOLVED))).outcome(RuleId.CI_CARDIOVASCULAR))
        .isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void historicalArrhythmiaAndCoronaryDiseaseArePrecautions() {
    Assessment assessment = assess(aPatient()
        .with(aCondition(Codes.ATRIAL_FIBRILLATION).status(ConditionRecord.ClinicalStatus.RESOLVED))
        .with(aCondition(Codes.CORONARY_ARTERIOSCLEROSIS)));
    assertThat(assessment.outcome(RuleId.PR_CARDIOVASCULAR)).isEqualTo(Outcome.MET);
    assertThat(assessment.finding(RuleId.PR_CARDIOVASCULAR).detail()).contains("historical");
  }

  @Test
  void tachycardiaAbove100WithinThirtyDays() {
    assertThat(assess(aPatient().with(aHeartRate(101).on(daysBefore(30)))).outcome(RuleId.PR_TACHYCARDIA))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aHeartRate(100))).outcome(RuleId.PR_TACHYCARDIA))
        .isEqualTo(Outcome.NOT_MET);
    assertThat(assess(aPatient().with(aHeartRate(130).on(daysBefore(31)))).outcome(RuleId.PR_TACHYCARDIA))
        .isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void hyperthyroidismIsAPrecaution() {
    assertThat(assess(aPatient().with(aCondition(Codes.THYROTOXICOSIS))).outcome(RuleId.PR_HYPERTHYROIDISM))
        .isEqualTo(Outcome.MET);
  }
}
