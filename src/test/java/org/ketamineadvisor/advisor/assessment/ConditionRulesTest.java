package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;

import org.ketamineadvisor.advisor.assessment.ConditionRecord.ClinicalStatus;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.VerificationStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What counts as a condition (§ 1.1, § 7.4–7.6) and the rules that read only conditions. */
class ConditionRulesTest {

  @Nested
  class WhatCounts {
    @Test
    void refutedAndEnteredInErrorConditionsAreIgnored() {
      assertThat(assess(aPatient().with(aCondition(Codes.SCHIZOPHRENIA).verification(VerificationStatus.REFUTED)))
          .outcome(RuleId.CI_PSYCHOSIS)).isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient().with(aCondition(Codes.SCHIZOPHRENIA)
          .verification(VerificationStatus.ENTERED_IN_ERROR))).outcome(RuleId.CI_PSYCHOSIS))
          .isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void anUnconfirmedConditionCountsAndSaysSo() {
      Finding finding = assess(aPatient().with(aCondition(Codes.CRPS).id("Condition/crps")
          .onset(java.time.LocalDate.of(2025, 1, 10)).verification(VerificationStatus.PROVISIONAL)))
          .finding(RuleId.IND_NEUROPATHIC);
      assertThat(finding.outcome()).isEqualTo(Outcome.MET);
      assertThat(finding.detail()).isEqualTo("Complex regional pain syndrome (disorder) (SNOMED 128200000), "
          + "onset 2025-01-10; unconfirmed — evidence grade B (moderate evidence, benefit up to 12 weeks)");
      assertThat(finding.evidence()).containsExactly("Condition/crps");
      assertThat(finding.evidenceDate()).isEqualTo(java.time.LocalDate.of(2025, 1, 10));
    }

    @Test
    void aConditionWithOnsetAfterTheAsOfDateIsIgnored() {
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).onset(T.plusDays(1))))
          .outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).onset(T))).outcome(RuleId.IND_NEUROPATHIC))
          .isEqualTo(Outcome.MET);
    }

    @Test
    void withoutClinicalStatusAnAbatementOnOrBeforeTheAsOfDateMakesItHistorical() {
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).status(null).abated(T)))
          .outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).status(null).abated(T.plusDays(1))))
          .outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).status(null))).outcome(RuleId.IND_NEUROPATHIC))
          .isEqualTo(Outcome.MET);
    }

    @Test
    void clinicalStatusWinsOverAnAbatement() {
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).status(ClinicalStatus.RELAPSE)
          .abated(daysBefore(10)))).outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(aCondition(Codes.CRPS).status(ClinicalStatus.REMISSION)))
          .outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void icd10CodesMatchWithoutTheDot() {
      assertThat(assess(aPatient().with(aCondition(Codes.PARANOID_SCHIZOPHRENIA_DOTLESS)))
          .outcome(RuleId.CI_PSYCHOSIS)).isEqualTo(Outcome.MET);
    }
  }

  @Nested
  class Indication {
    @Test
    void theBestGroupIsReportedWhateverTheOrder() {
      Assessment assessment = assess(aPatient()
          .with(aCondition(Codes.FIBROMYALGIA).id("Condition/fibro"))
          .with(aCondition(Codes.SPINAL_CORD_LESION).id("Condition/sci"))
          .with(aCondition(Codes.HERPES_ZOSTER_RADICULITIS).id("Condition/zoster")));
      assertThat(assessment.indicationGroup()).isEqualTo(IndicationGroup.CENTRAL);
      assertThat(assessment.indicationReferences())
          .containsExactly("Condition/fibro", "Condition/sci", "Condition/zoster");
      assertThat(assessment.finding(RuleId.IND_NEUROPATHIC).detail()).startsWith("Chronic paralysis")
          .contains("evidence grade C");
    }

    @Test
    void aHistoricalIndicationDoesNotCount() {
      Assessment assessment = assess(aPatient().with(aCondition(Codes.CRPS).status(ClinicalStatus.RESOLVED)));
      assertThat(assessment.outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
      assertThat(assessment.indicationGroup()).isNull();
      assertThat(assessment.indicationReferences()).isEmpty();
    }

    @Test
    void anUnrelatedConditionIsNotAnIndication() {
      assertThat(assess(aPatient().with(aCondition(Codes.ASTHMA))).outcome(RuleId.IND_NEUROPATHIC))
          .isEqualTo(Outcome.NOT_MET);
    }
  }

  @Nested
  class Psychiatric {
    @Test
    void psychosisContraindicatesEvenWhenHistorical() {
      Finding finding = assess(aPatient().with(aCondition(Codes.SCHIZOPHRENIA).status(ClinicalStatus.RESOLVED)))
          .finding(RuleId.CI_PSYCHOSIS);
      assertThat(finding.outcome()).isEqualTo(Outcome.MET);
      assertThat(finding.detail()).contains("historical");
    }

    @Test
    void activeSubstanceUseContraindicatesAndPastIsAPrecaution() {
      Assessment active = assess(aPatient().with(aCondition(Codes.OPIOID_ABUSE)));
      assertThat(active.outcome(RuleId.CI_SUBSTANCE_USE)).isEqualTo(Outcome.MET);
      assertThat(active.outcome(RuleId.PR_SUBSTANCE_HISTORY)).isEqualTo(Outcome.NOT_MET);

      Assessment past = assess(aPatient().with(aCondition(Codes.OPIOID_ABUSE).status(ClinicalStatus.INACTIVE)));
      assertThat(past.outcome(RuleId.CI_SUBSTANCE_USE)).isEqualTo(Outcome.NOT_MET);
      assertThat(past.outcome(RuleId.PR_SUBSTANCE_HISTORY)).isEqualTo(Outcome.MET);
    }

    @Test
    void inRemissionIsHistoricalWhateverTheClinicalStatus() {
      Assessment assessment = assess(aPatient().with(aCondition(Codes.OPIOID_DEPENDENCE_IN_REMISSION)
          .status(ClinicalStatus.ACTIVE)));
      assertThat(assessment.outcome(RuleId.CI_SUBSTANCE_USE)).isEqualTo(Outcome.NOT_MET);
      assertThat(assessment.outcome(RuleId.PR_SUBSTANCE_HISTORY)).isEqualTo(Outcome.MET);
    }

    @Test
    void bipolarDisorderActiveOrNotIsAPrecaution() {
      assertThat(assess(aPatient().with(aCondition(Codes.BIPOLAR).status(ClinicalStatus.REMISSION)))
          .outcome(RuleId.PR_BIPOLAR)).isEqualTo(Outcome.MET);
    }
  }

  @Nested
  class Pressure {
    @Test
    void glaucomaOrARaisedEyePressureWithinAYear() {
      assertThat(assess(aPatient().with(aCondition(Codes.GLAUCOMA))).outcome(RuleId.PR_ELEVATED_IOP))
          .isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(anIntraocularPressure(22).on(daysBefore(365))))
          .outcome(RuleId.PR_ELEVATED_IOP)).isEqualTo(Outcome.MET);
      assertThat(assess(aPatient().with(anIntraocularPressure(22).on(daysBefore(366))))
          .outcome(RuleId.PR_ELEVATED_IOP)).isEqualTo(Outcome.NOT_MET);
      assertThat(assess(aPatient().with(anIntraocularPressure(21))).outcome(RuleId.PR_ELEVATED_IOP))
          .isEqualTo(Outcome.NOT_MET);
    }

    @Test
    void anyRaisedReadingCountsNotOnlyTheLatest() {
      assertThat(assess(aPatient().with(anIntraocularPressure(25).on(daysBefore(200)))
          .with(anIntraocularPressure(15).on(daysBefore(2)))).outcome(RuleId.PR_ELEVATED_IOP))
          .isEqualTo(Outcome.MET);
    }

    @Test
    void intracranialHypertension() {
      assertThat(assess(aPatient().with(aCondition(Codes.INTRACRANIAL_HYPERTENSION)))
          .outcome(RuleId.PR_INTRACRANIAL)).isEqualTo(Outcome.MET);
    }
  }
}
