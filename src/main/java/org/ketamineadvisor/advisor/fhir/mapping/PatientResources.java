package org.ketamineadvisor.advisor.fhir.mapping;


import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * One patient's resources as read from a source (a file, a folder, a FHIR server), before mapping:
 * the Patient and every other resource that refers to it (Condition, MedicationRequest,
 * MedicationStatement, Observation, AllergyIntolerance) plus Medications they may reference.
 * {@code source} names where they came from, for error messages (a file path or a server URL).
 * References inside may be relative ("Medication/m1") or "urn:uuid:…"; each resource keeps the
 * full URL it had in its Bundle entry (if any) in {@code fullUrls}, same order as {@code resources}.
 */
public record PatientResources(String patientId, Patient patient, List<Resource> resources,
    List<String> fullUrls, String source) {

  public PatientResources {
    if (patientId == null || patientId.isBlank()) {
      throw new IllegalArgumentException("patient resources need the patient's id (" + source + ")");
    }
    resources = List.copyOf(resources);
    fullUrls = fullUrls == null ? java.util.Collections.nCopies(resources.size(), null)
        : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(fullUrls));
    if (fullUrls.size() != resources.size()) {
      throw new IllegalArgumentException("fullUrls must match resources one to one (" + source + ")");
    }
  }
}
