package org.ketamineadvisor.advisor.assessment;

import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;

import java.util.List;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** The engine with the real value sets and UCUM, loaded once for all rule tests. */
final class EngineFixture {

  static final AssessmentEngine ENGINE = new AssessmentEngine(ValueSetTerminology.loadDefault(),
      new UcumUnitConverter(), RuleSettings.defaults());

  private EngineFixture() {}

  static Assessment assess(PatientBuilder patient) {
    return ENGINE.assess(patient.build(), T);
  }

  static Assessment assess(PatientBuilder patient, Attestation... attestations) {
    return ENGINE.assess(patient.build(), T, List.of(attestations));
  }

  static Assessment assessEntered(PatientBuilder patient, EnteredValue... entered) {
    return ENGINE.assess(patient.build(), T, List.of(), List.of(entered));
  }

  /** A value entered by Dr A, measured at {@code measured} (UTC), entered a minute later. */
  static EnteredValue entered(EnteredValue.Reading reading, java.time.LocalDateTime measured) {
    java.time.Instant at = measured.toInstant(java.time.ZoneOffset.UTC);
    return new EnteredValue(reading, at, "Practitioner/dr-a", "Dr A", at.plusSeconds(60));
  }

  /**
   * A patient for whom every rule is decided and nothing is wrong: adult with active CRPS, a past
   * gabapentin trial, and today's BP, weight and pain score. Tests add the one thing they examine.
   */
  static PatientBuilder aSuitablePatient() {
    return aPatient()
        .with(aCondition(Codes.CRPS).id("Condition/crps").onset(daysBefore(400)))
        .with(aRequest(Codes.GABAPENTIN_300MG).id("MedicationRequest/gaba").status("completed")
            .start(daysBefore(300)))
        .with(aBloodPressure(120, 80).id("Observation/bp-today"))
        .with(aWeight("80", "kg").id("Observation/weight-today"))
        .with(aPainScore("7").id("Observation/pain-today"));
  }
}
