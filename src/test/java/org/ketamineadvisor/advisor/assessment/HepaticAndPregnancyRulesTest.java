package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HepaticAndPregnancyRulesTest {

  @Nested
  class LiverTests {
    @ParameterizedTest(name = "ALT {0} U/L → severe {1}, precaution {2}")
    @CsvSource({
        "120, MET, NOT_MET",
        "119.9, NOT_MET, MET",
        "40.1, NOT_MET, MET",
        "40, NOT_MET, NOT_MET"})
    void againstTheDefaultUpperLimit(String alt, Outcome severe, Outcome precaution) {
      Assessment assessment = assess(aPatient().with(anAlt(alt).on(daysBefore(90))));
      assertThat(assessment.outcome(RuleId.CI_SEVERE_HEPATIC)).isEqualTo(severe);
      assertThat(assessment.outcome(RuleId.PR_HEPATIC)).isEqualTo(precaution);
    }

    @Test
    void theReferenceRangeHighIsTheUpperLimit() {
      Finding finding = assess(aPatient().with(anAst("105").referenceHigh("35"))).finding(RuleId.CI_SEVERE_HEPATIC);
      assertThat(finding.outcome()).isEqualTo(Outcome.MET);
      assertThat(finding.detail()).contains("AST 105 U/L").contains("ULN 35 from the reference range");
      assertThat(assess(aPatient().with(anAst("50").referenceHigh("60"))).outcome(RuleId.PR_HEPATIC))
          .isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void altAndAstAreJudgedSeparately() {
      Assessment assessment = assess(aPatient().with(anAlt("30")).with(anAst("150")));
      assertThat(assessment.outcome(RuleId.CI_SEVERE_HEPATIC)).isEqualTo(Outcome.MET);
      assertThat(assessment.outcome(RuleId.PR_HEPATIC)).isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void onlyTheLatestTestWithin90DaysCounts() {
      assertThat(assess(aPatient().with(anAlt("500").on(daysBefore(91)))).outcome(RuleId.CI_SEVERE_HEPATIC))
          .isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient().with(anAlt("500").on(daysBefore(20))).with(anAlt("30").on(daysBefore(5))))
          .outcome(RuleId.CI_SEVERE_HEPATIC)).isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void severeAndMildLiverDiseaseByCondition() {
      assertThat(assess(aPatient().with(aCondition(Codes.CIRRHOSIS))).outcome(RuleId.CI_SEVERE_HEPATIC))
          .isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(aCondition(Codes.HEPATITIS_C))).outcome(RuleId.PR_HEPATIC))
          .isEqualTo(Outcome.MET);
    }

    @Test
    void liverTestsAreNeededWithLiverDiseaseOrAlcoholUse() {
      assertThat(assess(aPatient().with(aCondition(Codes.HEPATITIS_C))).outcome(RuleId.DATA_LFT))
          .isEqualTo(Outcome.UNKNOWN);
      Finding alcohol = assess(aPatient().with(aCondition(Codes.ALCOHOLISM).id("Condition/alc")
          .status(ConditionRecord.ClinicalStatus.RESOLVED))).finding(RuleId.DATA_LFT);
      assertThat(alcohol.outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(alcohol.evidence()).containsExactly("Condition/alc");
      assertThat(assess(aPatient().with(aCondition(Codes.ALCOHOLISM)).with(anAst("20").on(daysBefore(90))))
          .outcome(RuleId.DATA_LFT)).isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient()).outcome(RuleId.DATA_LFT)).isEqualTo(Outcome.NOT_MET);
    }
  }

  @Nested
  class Pregnancy {
    @Test
    void anActivePregnancyWithin42WeeksContraindicates() {
      assertThat(assess(aPatient().with(aCondition(Codes.PREGNANCY).onset(daysBefore(294))))
          .outcome(RuleId.CI_PREGNANCY)).isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(aCondition(Codes.PREGNANCY).onset(daysBefore(295))))
          .outcome(RuleId.CI_PREGNANCY)).isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void aLaterNegativeHcgSupersedesThePregnancy() {
      Finding finding = assess(aPatient()
          .with(aCondition(Codes.PREGNANCY).onset(daysBefore(100)))
          .with(anHcgTest(Codes.NEGATIVE).id("Observation/hcg").on(daysBefore(3)))).finding(RuleId.CI_PREGNANCY);
      assertThat(finding.outcome()).isEqualTo(Outcome.NOT_MET);
      assertThat(finding.detail()).contains("negative");
    }

    @Test
    void positiveAndNegativeOnTheSameDayIsPositive() {
      assertThat(assess(aPatient()
          .with(anHcgTest(Codes.NEGATIVE).at(daysBefore(3).atTime(15, 0)))
          .with(anHcgTest(Codes.POSITIVE).at(daysBefore(3).atTime(9, 0)))).outcome(RuleId.CI_PREGNANCY))
          .isEqualTo(Outcome.MET);
    }

    @Test
    void pregnancyStatusObservation() {
      assertThat(assess(aPatient().with(aPregnancyStatus(Codes.PREGNANT))).outcome(RuleId.CI_PREGNANCY))
          .isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(aPregnancyStatus(Codes.PREGNANT).on(daysBefore(20)))
          .with(aPregnancyStatus(Codes.NOT_PREGNANT).on(daysBefore(2)))).outcome(RuleId.CI_PREGNANCY))
          .isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void hcgQuantitiesNeedAReferenceRange() {
      assertThat(assess(aPatient().with(anHcgLevel("250").referenceHigh("5"))).outcome(RuleId.CI_PREGNANCY))
          .isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(anHcgLevel("250"))).outcome(RuleId.CI_PREGNANCY))
          .isEqualTo(Outcome.NOT_MET);
      // a quantity without a range is no evidence, so it cannot supersede a positive test
      assertThat(assess(aPatient().with(anHcgTest(Codes.POSITIVE).on(daysBefore(10)))
          .with(anHcgLevel("1").on(daysBefore(1)))).outcome(RuleId.CI_PREGNANCY)).isEqualTo(Outcome.MET);
    }
  }
}
