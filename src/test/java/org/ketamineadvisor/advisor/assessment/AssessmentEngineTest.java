package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.aSuitablePatient;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assessEntered;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.entered;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AssessmentEngineTest {

  private static final Instant SIGNED = Instant.parse("2026-06-01T09:00:00Z");

  @Test
  void aPatientWithNothingWrongIsSuitable() {
    Assessment assessment = assess(aSuitablePatient());

    assertThat(assessment.verdict()).isEqualTo(Verdict.SUITABLE);
    assertThat(assessment.reportableFindings()).extracting(Finding::rule)
        .containsExactly(RuleId.IND_LIVING, RuleId.IND_ADULT, RuleId.IND_NEUROPATHIC, RuleId.IND_PRIOR_THERAPY);
    assertThat(assessment.risks()).containsValues(Risk.Level.LOW).hasSize(4)
        .allSatisfy((risk, level) -> assertThat(level).isEqualTo(Risk.Level.LOW));
    assertThat(assessment.indicationGroup()).isEqualTo(IndicationGroup.CRPS);
    assertThat(assessment.indicationReferences()).containsExactly("Condition/crps");
    assertThat(assessment.weight()).isEqualTo(new BodyWeight(new BigDecimal("80"), T, "Observation/weight-today"));
    assertThat(assessment.dataProblems()).isEmpty();
    assertThat(assessment.asOf()).isEqualTo(T);
  }

  @Test
  void everyRuleIsReportedInRuleOrderEvenWhenContraindicated() {
    Assessment assessment = assess(aPatient()
        .with(aCondition(Codes.SCHIZOPHRENIA))
        .with(aCondition(Codes.BIPOLAR))
        .with(aRequest(Codes.OXYCODONE_5MG)));

    assertThat(assessment.verdict()).isEqualTo(Verdict.CONTRAINDICATED);
    assertThat(assessment.findings()).extracting(Finding::rule).containsExactly(RuleId.values());
    assertThat(assessment.outcome(RuleId.PR_BIPOLAR)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.DATA_WEIGHT)).isEqualTo(Outcome.UNKNOWN);
    assertThat(assessment.outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void everyFindingHasADetail() {
    Assessment assessment = assess(aPatient());
    assertThat(assessment.findings()).allSatisfy(f -> assertThat(f.detail()).isNotBlank());
  }

  @Nested
  class VerdictPrecedence {

    @Test
    void contraindicationWinsOverNotIndicated() {
      Assessment assessment = assess(aPatient().with(aCondition(Codes.SCHIZOPHRENIA)));
      assertThat(assessment.outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.NOT_MET);
      assertThat(assessment.verdict()).isEqualTo(Verdict.CONTRAINDICATED);
    }

    @Test
    void notIndicatedWinsOverNeedsInformation() {
      Assessment assessment = assess(aPatient());
      assertThat(assessment.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NOT_INDICATED);
    }

    @Test
    void needsInformationWinsOverPrecautions() {
      Assessment assessment = assess(aSuitablePatient().born(null).with(aRequest(Codes.OXYCODONE_5MG)));
      assertThat(assessment.outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.MET);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
    }

    @Test
    void aPrecautionMakesItSuitableWithPrecautions() {
      assertThat(assess(aSuitablePatient().with(aCondition(Codes.GLAUCOMA))).verdict())
          .isEqualTo(Verdict.SUITABLE_WITH_PRECAUTIONS);
    }

    @Test
    void deceasedOrMinorPatientsAreNotIndicated() {
      assertThat(assess(aSuitablePatient().deceased()).verdict()).isEqualTo(Verdict.NOT_INDICATED);
      assertThat(assess(aSuitablePatient().died(daysBefore(1))).verdict()).isEqualTo(Verdict.NOT_INDICATED);
      assertThat(assess(aSuitablePatient().died(T.plusDays(1))).outcome(RuleId.IND_LIVING)).isEqualTo(Outcome.MET);
    }

    @Test
    void aDeathRecordedAfterTheAsOfDateIsNotADeathBeforeIt() {
      // the mapping sets the deceased flag together with the date of deceasedDateTime
      Assessment after = assess(aSuitablePatient().deceased().died(T.plusDays(1)));
      assertThat(after.outcome(RuleId.IND_LIVING)).isEqualTo(Outcome.MET);
      assertThat(after.finding(RuleId.IND_LIVING).detail()).contains("living on " + T)
          .doesNotContain("says deceased");
      assertThat(after.verdict()).isEqualTo(Verdict.SUITABLE);
      Assessment onTheDay = assess(aSuitablePatient().deceased().died(T));
      assertThat(onTheDay.outcome(RuleId.IND_LIVING)).isEqualTo(Outcome.NOT_MET);
      assertThat(onTheDay.verdict()).isEqualTo(Verdict.NOT_INDICATED);
      assertThat(assess(aSuitablePatient().born(T.minusYears(18).plusDays(1))).verdict())
          .isEqualTo(Verdict.NOT_INDICATED);
    }
  }

  @Nested
  class Age {
    @Test
    void eighteenOnTheAsOfDateIsAdult() {
      Assessment assessment = assess(aSuitablePatient().born(T.minusYears(18)));
      assertThat(assessment.outcome(RuleId.IND_ADULT)).isEqualTo(Outcome.MET);
      assertThat(assessment.finding(RuleId.IND_ADULT).detail()).contains("age 18");
    }

    @Test
    void noBirthDateIsUnknown() {
      Assessment assessment = assess(aSuitablePatient().born(null));
      assertThat(assessment.outcome(RuleId.IND_ADULT)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
    }
  }

  @Nested
  class Risks {
    @Test
    void opioidAndBenzodiazepineTogetherAreHighRespiratoryRisk() {
      Assessment both = assess(aSuitablePatient().with(aRequest(Codes.OXYCODONE_5MG))
          .with(aRequest(Codes.DIAZEPAM_5MG)));
      assertThat(both.risks().get(Risk.RESPIRATORY_DEPRESSION)).isEqualTo(Risk.Level.HIGH);
      Assessment opioidOnly = assess(aSuitablePatient().with(aRequest(Codes.OXYCODONE_5MG)));
      assertThat(opioidOnly.risks().get(Risk.RESPIRATORY_DEPRESSION)).isEqualTo(Risk.Level.MODERATE);
      Assessment hypnotic = assess(aSuitablePatient().with(aRequest(Codes.ZOLPIDEM)));
      assertThat(hypnotic.risks().get(Risk.RESPIRATORY_DEPRESSION)).isEqualTo(Risk.Level.MODERATE);
    }

    @Test
    void cardiovascularRiskFollowsContraindicationsAndPrecautions() {
      assertThat(assess(aSuitablePatient().with(aCondition(Codes.HEART_FAILURE))).risks().get(Risk.CARDIOVASCULAR))
          .isEqualTo(Risk.Level.HIGH);
      assertThat(assess(aSuitablePatient().with(aRequest(Codes.PHENELZINE))).risks().get(Risk.CARDIOVASCULAR))
          .isEqualTo(Risk.Level.MODERATE);
      assertThat(assess(aSuitablePatient().with(aRequest(Codes.METHYLPHENIDATE))).risks()
          .get(Risk.CARDIOVASCULAR)).isEqualTo(Risk.Level.MODERATE);
    }

    @Test
    void psychotomimeticAndHepatotoxicityRisks() {
      Assessment psychosis = assess(aSuitablePatient().with(aCondition(Codes.SCHIZOPHRENIA)));
      assertThat(psychosis.risks().get(Risk.PSYCHOTOMIMETIC)).isEqualTo(Risk.Level.HIGH);
      Assessment substance = assess(aSuitablePatient().with(aCondition(Codes.OPIOID_DEPENDENCE_IN_REMISSION)));
      assertThat(substance.risks().get(Risk.PSYCHOTOMIMETIC)).isEqualTo(Risk.Level.MODERATE);
      Assessment cirrhosis = assess(aSuitablePatient().with(aCondition(Codes.CIRRHOSIS)));
      assertThat(cirrhosis.risks().get(Risk.HEPATOTOXICITY)).isEqualTo(Risk.Level.HIGH);
      Assessment hepatitis = assess(aSuitablePatient().with(aCondition(Codes.HEPATITIS_C)).with(anAlt("30")));
      assertThat(hepatitis.risks().get(Risk.HEPATOTOXICITY)).isEqualTo(Risk.Level.MODERATE);
    }
  }

  @Nested
  class Attestations {

    private PatientBuilder noPriorTherapy() {
      return aPatient()
          .with(aCondition(Codes.CRPS))
          .with(aBloodPressure(120, 80))
          .with(aWeight("80", "kg"))
          .with(aPainScore("6"));
    }

    @Test
    void priorTherapyIsUnknownWithoutAFirstLineAgent() {
      Assessment assessment = assess(noPriorTherapy());
      assertThat(assessment.outcome(RuleId.IND_PRIOR_THERAPY)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
      assertThat(assessment.unknowns()).extracting(Finding::rule).containsExactly(RuleId.IND_PRIOR_THERAPY);
    }

    @Test
    void attestingPriorTherapyMetSettlesIt() {
      Attestation tried = new Attestation(RuleId.IND_PRIOR_THERAPY, Outcome.MET, "Practitioner/dr-a",
          "duloxetine tried at another clinic, no effect", SIGNED);
      Assessment assessment = assess(noPriorTherapy(), tried);

      Finding finding = assessment.finding(RuleId.IND_PRIOR_THERAPY);
      assertThat(finding.outcome()).isEqualTo(Outcome.MET);
      assertThat(finding.attestation()).isEqualTo(tried);
      assertThat(finding.detail()).contains("duloxetine tried at another clinic").contains("Practitioner/dr-a");
      assertThat(assessment.verdict()).isEqualTo(Verdict.SUITABLE);
    }

    @Test
    void attestingPriorTherapyNotMetMakesItNotIndicated() {
      Assessment assessment = assess(noPriorTherapy(), new Attestation(RuleId.IND_PRIOR_THERAPY, Outcome.NOT_MET,
          "Practitioner/dr-a", "no conventional therapy tried", SIGNED));
      assertThat(assessment.verdict()).isEqualTo(Verdict.NOT_INDICATED);
    }

    @Test
    void aDataRuleCannotBeAttestedWithoutAValue() {
      PatientBuilder noPain = aPatient().with(aCondition(Codes.CRPS)).with(aBloodPressure(120, 80))
          .with(aWeight("80", "kg")).with(aRequest(Codes.DULOXETINE));
      assertThatThrownBy(() -> assess(noPain, new Attestation(RuleId.DATA_PAIN_BASELINE, Outcome.NOT_MET,
          "Practitioner/dr-a", "checked outside the record", SIGNED)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DATA-PAIN-BASELINE")
          .hasMessageContaining("entering the value");
    }

    @Test
    void anEnteredPainScoreSettlesTheBaselineAndTheVerdictSaysItRestsOnIt() {
      PatientBuilder noPain = aPatient().with(aCondition(Codes.CRPS)).with(aBloodPressure(120, 80))
          .with(aWeight("80", "kg")).with(aRequest(Codes.DULOXETINE));
      assertThat(assess(noPain).verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);

      EnteredValue pain = entered(new EnteredValue.PainScore(7), T.atTime(9, 10));
      Assessment assessment = assessEntered(noPain, pain);
      assertThat(assessment.outcome(RuleId.DATA_PAIN_BASELINE)).isEqualTo(Outcome.NOT_MET);
      assertThat(assessment.finding(RuleId.DATA_PAIN_BASELINE).evidence()).containsExactlyElementsOf(pain.references());
      assertThat(assessment.finding(RuleId.DATA_PAIN_BASELINE).detail()).contains("pain score 7/10 on " + T);
      assertThat(assessment.verdict()).isEqualTo(Verdict.SUITABLE);
      assertThat(assessment.clinicianItems()).isEqualTo(1);
    }

    @Test
    void anEnteredBloodPressureIsReadByEveryRuleSo190Over105IsAContraindication() {
      PatientBuilder noBp = aPatient().with(aCondition(Codes.CRPS)).with(aWeight("80", "kg"))
          .with(aPainScore("8")).with(aRequest(Codes.DULOXETINE));
      assertThat(assess(noBp).outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);

      Assessment high = assessEntered(noBp, entered(new EnteredValue.BloodPressure(190, 105), T.atTime(8, 0)));
      assertThat(high.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.NOT_MET);
      assertThat(high.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.MET);
      assertThat(high.verdict()).isEqualTo(Verdict.CONTRAINDICATED);

      Assessment raised = assessEntered(noBp, entered(new EnteredValue.BloodPressure(150, 85), T.atTime(8, 0)));
      assertThat(raised.outcome(RuleId.PR_HYPERTENSION)).isEqualTo(Outcome.MET);
      assertThat(raised.verdict()).isEqualTo(Verdict.SUITABLE_WITH_PRECAUTIONS);
    }

    @Test
    void anEnteredValueOutsideTheWindowSettlesNothing() {
      PatientBuilder noBp = aPatient().with(aCondition(Codes.CRPS)).with(aWeight("80", "kg"))
          .with(aPainScore("8")).with(aRequest(Codes.DULOXETINE));
      Assessment old = assessEntered(noBp, entered(new EnteredValue.BloodPressure(120, 80),
          T.minusDays(31).atTime(8, 0)));
      assertThat(old.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
      Assessment future = assessEntered(noBp, entered(new EnteredValue.BloodPressure(190, 105),
          T.plusDays(1).atTime(8, 0)));
      assertThat(future.outcome(RuleId.CI_UNCONTROLLED_HTN)).as("§ 7.3: nothing after T").isEqualTo(Outcome.NOT_MET);
      assertThat(future.outcome(RuleId.DATA_BP)).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void anEnteredWeightInPoundsGivesTheDoseWeightAndEnteredLiverTestsAreJudgedAgainstTheirUpperLimit() {
      PatientBuilder noWeight = aPatient().with(aCondition(Codes.CRPS)).with(aBloodPressure(120, 80))
          .with(aPainScore("8")).with(aRequest(Codes.DULOXETINE));
      Assessment weighed = assessEntered(noWeight, entered(new EnteredValue.Weight(new java.math.BigDecimal("176"),
          "lb"), T.atTime(8, 0)));
      assertThat(weighed.outcome(RuleId.DATA_WEIGHT)).isEqualTo(Outcome.NOT_MET);
      assertThat(weighed.weight().kilograms()).isCloseTo(new java.math.BigDecimal("79.83"), org.assertj.core.data.Offset.offset(new java.math.BigDecimal("0.01")));

      PatientBuilder suitable = aSuitablePatient();
      Assessment liver = assessEntered(suitable, entered(new EnteredValue.LiverTests(new java.math.BigDecimal("130"),
          null, new java.math.BigDecimal("40")), T.atTime(8, 0)));
      assertThat(liver.outcome(RuleId.CI_SEVERE_HEPATIC)).isEqualTo(Outcome.MET);
    }

    @Test
    void attestingAnAgeSettlesIt() {
      Assessment assessment = assess(aSuitablePatient().born(null), new Attestation(RuleId.IND_ADULT,
          Outcome.MET, "Practitioner/dr-a", "passport seen, born 1970", SIGNED));
      assertThat(assessment.outcome(RuleId.IND_ADULT)).isEqualTo(Outcome.MET);
      assertThat(assessment.verdict()).isEqualTo(Verdict.SUITABLE);
    }

    @Test
    void aRuleTheRecordDecidesCannotBeAttested() {
      assertThatThrownBy(() -> assess(aSuitablePatient(), new Attestation(RuleId.IND_PRIOR_THERAPY,
          Outcome.NOT_MET, "Practitioner/dr-a", "never mind", SIGNED)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("IND-PRIOR-THERAPY").hasMessageContaining("only unknown rules can be attested");
      assertThatThrownBy(() -> assess(aSuitablePatient(), new Attestation(RuleId.CI_PSYCHOSIS,
          Outcome.MET, "Practitioner/dr-a", "psychosis", SIGNED)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CI-PSYCHOSIS");
    }

    @Test
    void twoAttestationsOfOneRuleAreRejected() {
      Attestation one = new Attestation(RuleId.IND_PRIOR_THERAPY, Outcome.MET, "Practitioner/a", "tried", SIGNED);
      Attestation two = new Attestation(RuleId.IND_PRIOR_THERAPY, Outcome.NOT_MET, "Practitioner/b", "not", SIGNED);
      assertThatThrownBy(() -> assess(noPriorTherapy(), one, two))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two attestations");
    }
  }

  @Nested
  class ReadProblems {
    @Test
    void anUnreadMedicationListMakesInteractionsUnknownNotAbsent() {
      Assessment assessment = assess(aSuitablePatient().unreadable("MedicationRequest", "HTTP 503"));

      assertThat(assessment.outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.finding(RuleId.INT_OPIOID).detail()).contains("MedicationRequest could not be read")
          .contains("HTTP 503");
      assertThat(assessment.outcome(RuleId.CI_XANTHINE)).isEqualTo(Outcome.UNKNOWN);
      // a rule met on what was read stays met
      assertThat(assessment.outcome(RuleId.IND_PRIOR_THERAPY)).isEqualTo(Outcome.MET);
      assertThat(assessment.outcome(RuleId.CI_PSYCHOSIS)).isEqualTo(Outcome.NOT_MET);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
      assertThat(assessment.dataProblems()).contains("could not read MedicationRequest: HTTP 503");
    }

    @Test
    void anUnreadConditionListCannotMakeThePatientNotIndicated() {
      Assessment assessment = assess(aPatient().unreadable("Condition", "timeout"));
      assertThat(assessment.outcome(RuleId.IND_NEUROPATHIC)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.outcome(RuleId.CI_PSYCHOSIS)).isEqualTo(Outcome.UNKNOWN);
      assertThat(assessment.verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
    }
  }

  @Test
  void theRuleOrderCoversEveryRuleOnce() {
    assertThat(assess(aSuitablePatient()).findings()).hasSize(RuleId.values().length)
        .extracting(Finding::rule).containsExactlyElementsOf(Arrays.asList(RuleId.values()));
  }

  @Test
  void aMissingAsOfDateIsRefused() {
    assertThatThrownBy(() -> EngineFixture.ENGINE.assess(aSuitablePatient().build(), null, List.of()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("as-of");
  }
}
