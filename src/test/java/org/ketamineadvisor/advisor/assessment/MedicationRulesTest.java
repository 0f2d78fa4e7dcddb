package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;
import static org.ketamineadvisor.advisor.assessment.EngineFixture.assess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Current and past medications (§ 1.1, § 7.7), drug-class rules and the ketamine allergy. */
class MedicationRulesTest {

  @ParameterizedTest(name = "{0} {1} → interaction {2}, prior therapy {3}")
  @CsvSource({
      "REQUEST, active, MET, MET",
      "REQUEST, on-hold, MET, MET",
      "REQUEST, unknown, MET, MET",
      "REQUEST, completed, NOT_MET, MET",
      "REQUEST, stopped, NOT_MET, MET",
      "REQUEST, cancelled, NOT_MET, UNKNOWN",
      "REQUEST, draft, NOT_MET, UNKNOWN",
      "REQUEST, entered-in-error, NOT_MET, UNKNOWN",
      "STATEMENT, active, MET, MET",
      "STATEMENT, intended, MET, UNKNOWN",
      "STATEMENT, unknown, MET, MET",
      "STATEMENT, completed, NOT_MET, MET",
      "STATEMENT, not-taken, NOT_MET, UNKNOWN"})
  void statusDecidesCurrentOrPast(MedicationRecord.Kind kind, String status, Outcome interaction,
      Outcome priorTherapy) {
    // gabapentin is both a first-line agent and a CNS depressant
    MedicationRecord gabapentin = new MedicationRecord("MedicationRequest/g", kind, status, Codes.GABAPENTIN_300MG,
        daysBefore(60), null);
    Assessment assessment = EngineFixture.ENGINE.assess(new PatientRecord(aPatient().build().patient(),
        java.util.List.of(), java.util.List.of(gabapentin), java.util.List.of(), java.util.List.of(), null), T);
    assertThat(assessment.outcome(RuleId.INT_CNS_DEPRESSANT)).isEqualTo(interaction);
    assertThat(assessment.outcome(RuleId.IND_PRIOR_THERAPY)).isEqualTo(priorTherapy);
  }

  @Test
  void anActiveMedicationThatEndedBeforeTheAsOfDateIsPast() {
    assertThat(assess(aPatient().with(aRequest(Codes.OXYCODONE_5MG).end(daysBefore(1))))
        .outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.NOT_MET);
    assertThat(assess(aPatient().with(aRequest(Codes.OXYCODONE_5MG).end(T))).outcome(RuleId.INT_OPIOID))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aRequest(Codes.DULOXETINE).end(daysBefore(100))))
        .outcome(RuleId.IND_PRIOR_THERAPY)).isEqualTo(Outcome.MET);
  }

  @Test
  void completedIsPastWhateverItsPeriod() {
    assertThat(assess(aPatient().with(aRequest(Codes.OXYCODONE_5MG).status("completed").end(T.plusDays(30))))
        .outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void aMedicationStartedAfterTheAsOfDateIsIgnored() {
    assertThat(assess(aPatient().with(aRequest(Codes.OXYCODONE_5MG).start(T.plusDays(1))))
        .outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void aCodedMedicationDetailNamesTheCode() {
    Finding finding = assess(aPatient().with(aRequest(Codes.OXYCODONE_5MG).id("MedicationRequest/oxy")
        .start(daysBefore(10)))).finding(RuleId.INT_OPIOID);
    assertThat(finding.evidence()).containsExactly("MedicationRequest/oxy");
    assertThat(finding.detail()).isEqualTo("oxycodone hydrochloride 5 MG Oral Tablet (RxNorm 1049621), active since "
        + daysBefore(10));
    assertThat(finding.evidenceDate()).isEqualTo(daysBefore(10));
  }

  @Test
  void aMedicationMatchedByNameSaysSo() {
    Finding finding = assess(aPatient().with(aStatement(Codes.OXYCODONE_BY_NAME))).finding(RuleId.INT_OPIOID);
    assertThat(finding.outcome()).isEqualTo(Outcome.MET);
    assertThat(finding.detail()).startsWith("oxycodone matched by name in 'Oxycodone 5mg tab'");
  }

  @Test
  void xanthinesContraindicateByCodeOrByName() {
    assertThat(assess(aPatient().with(aRequest(Codes.AMINOPHYLLINE))).outcome(RuleId.CI_XANTHINE))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aRequest(Codes.THEOPHYLLINE_BY_NAME))).outcome(RuleId.CI_XANTHINE))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(aRequest(Codes.PARACETAMOL))).outcome(RuleId.CI_XANTHINE))
        .isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void eachInteractionClass() {
    Assessment assessment = assess(aPatient()
        .with(aRequest(Codes.DIAZEPAM_5MG))
        .with(aRequest(Codes.ZOLPIDEM))
        .with(aRequest(Codes.METHYLPHENIDATE))
        .with(aStatement(Codes.PHENELZINE)));
    assertThat(assessment.outcome(RuleId.INT_BENZODIAZEPINE)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.INT_CNS_DEPRESSANT)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.INT_SYMPATHOMIMETIC)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.INT_MAOI)).isEqualTo(Outcome.MET);
    assertThat(assessment.outcome(RuleId.INT_OPIOID)).isEqualTo(Outcome.NOT_MET);
  }

  @Test
  void aKetamineAllergyContraindicatesUnlessRefutedOrResolved() {
    assertThat(assess(aPatient().with(anAllergy(Codes.KETAMINE))).outcome(RuleId.CI_KETAMINE_ALLERGY))
        .isEqualTo(Outcome.MET);
    assertThat(assess(aPatient().with(anAllergy(Codes.KETAMINE).verificationStatus("refuted")))
        .outcome(RuleId.CI_KETAMINE_ALLERGY)).isEqualTo(Outcome.NOT_MET);
    assertThat(assess(aPatient().with(anAllergy(Codes.KETAMINE).clinicalStatus("resolved")))
        .outcome(RuleId.CI_KETAMINE_ALLERGY)).isEqualTo(Outcome.NOT_MET);
    assertThat(assess(aPatient().with(anAllergy(Codes.OXYCODONE_5MG))).outcome(RuleId.CI_KETAMINE_ALLERGY))
        .isEqualTo(Outcome.NOT_MET);
  }
}
