package org.ketamineadvisor.advisor.assessment;

import java.util.List;

/**
 * Everything the rules read about one patient, already normalised by the FHIR mapping.
 * {@code readProblems} are resource types that could not be read completely (e.g. "could not read
 * MedicationRequest: HTTP 503"); the rules that depend on them become unknown.
 */
public record PatientRecord(
    PatientFacts patient,
    List<ConditionRecord> conditions,
    List<MedicationRecord> medications,
    List<ObservationRecord> observations,
    List<AllergyRecord> allergies,
    List<ReadProblem> readProblems) {

  public PatientRecord {
    if (patient == null) {
      throw new IllegalArgumentException("a patient record needs the Patient");
    }
    conditions = List.copyOf(conditions);
    medications = List.copyOf(medications);
    observations = List.copyOf(observations);
    allergies = List.copyOf(allergies);
    readProblems = readProblems == null ? List.of() : List.copyOf(readProblems);
  }

  /** A resource type that could not be read completely, and why. */
  public record ReadProblem(String resourceType, String reason) {}
}
