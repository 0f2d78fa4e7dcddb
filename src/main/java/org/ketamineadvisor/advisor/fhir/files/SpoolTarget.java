package org.ketamineadvisor.advisor.fhir.files;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.ketamineadvisor.advisor.terminology.Code;

/**
 * The reader's scan target: every resource the mapping reads goes to {@link KeptResources} (the
 * {@link PatientSpool}, or a Spark task's output) under its patient, if {@code wanted} says that patient is to be
 * read (the screen reads only its candidates; a dropped resource costs only its header), and every Medication there
 * too (to the {@link MedicationStash}). With
 * {@code observationCodes}, an Observation is kept only when its {@code code.coding[]} passes it (the screen
 * keeps those whose code a rule reads: the others would be parsed and mapped and never looked at).
 */
final class SpoolTarget implements ScanTarget {

  private final KeptResources kept;
  private final Predicate<String> wanted;
  private final Predicate<List<Code>> observationCodes;

  /** @param observationCodes null: every Observation of a wanted patient is kept */
  SpoolTarget(KeptResources kept, Predicate<String> wanted, Predicate<List<Code>> observationCodes) {
    this.kept = kept;
    this.wanted = wanted;
    this.observationCodes = observationCodes;
  }

  @Override
  public ResourceHeader.Need need(String type) {
    if (observationCodes != null && "Observation".equals(type)) {
      return ResourceHeader.Need.ID_REFERENCE_AND_CODE;
    }
    if (FhirFileScanner.PATIENT_RESOURCES.contains(type)) {
      return ResourceHeader.Need.ID_AND_REFERENCE;
    }
    return "Patient".equals(type) || "Medication".equals(type) ? ResourceHeader.Need.ID : ResourceHeader.Need.TYPE;
  }

  @Override
  public void patientResource(String patientId, ResourceHeader header, Supplier<SpooledResource> resource) {
    if (wanted.test(patientId) && (observationCodes == null || !"Observation".equals(header.resourceType())
        || observationCodes.test(header.codings()))) {
      kept.resource(patientId, resource.get());
    }
  }

  /** Only the screen gives a filter of patients (assess reads everyone), so only it drops lines on their subject. */
  @Override
  public boolean skipsQuickly() {
    return observationCodes != null;
  }

  @Override
  public boolean dropsPatient(String patientId) {
    return !wanted.test(patientId);
  }

  @Override
  public void medication(SpooledResource medication, boolean inBundle) {
    kept.medication(medication, inBundle);
  }
}
