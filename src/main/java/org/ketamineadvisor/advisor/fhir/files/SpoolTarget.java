package org.ketamineadvisor.advisor.fhir.files;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The reader's scan target: every resource the mapping reads goes to the {@link PatientSpool} under its
 * patient, if {@code wanted} says that patient is to be read (the screen reads only its candidates; a
 * dropped resource costs only its header), and every Medication to the {@link MedicationStash}.
 */
final class SpoolTarget implements ScanTarget {

  private final PatientSpool spool;
  private final MedicationStash medications;
  private final Predicate<String> wanted;

  SpoolTarget(PatientSpool spool, MedicationStash medications, Predicate<String> wanted) {
    this.spool = spool;
    this.medications = medications;
    this.wanted = wanted;
  }

  @Override
  public ResourceHeader.Need need(String type) {
    if (FhirFileScanner.PATIENT_RESOURCES.contains(type)) {
      return ResourceHeader.Need.ID_AND_REFERENCE;
    }
    return "Patient".equals(type) || "Medication".equals(type) ? ResourceHeader.Need.ID : ResourceHeader.Need.TYPE;
  }

  @Override
  public void patientResource(String patientId, ResourceHeader header, Supplier<SpooledResource> resource) {
    if (wanted.test(patientId)) {
      spool.add(patientId, resource.get());
    }
  }

  @Override
  public void medication(SpooledResource medication, boolean inBundle) {
    if (inBundle) {
      medications.addFromBundle(medication);
    } else {
      medications.addShared(medication);
    }
  }
}
