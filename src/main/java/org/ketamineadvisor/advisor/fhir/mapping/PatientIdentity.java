package org.ketamineadvisor.advisor.fhir.mapping;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Decides whether a subject/patient reference points at the patient being mapped, so that a
 * resource of another patient never reaches this patient's assessment.
 */
final class PatientIdentity {

  /** How a reference relates to the patient being mapped. */
  enum Match { THIS_PATIENT, OTHER_SUBJECT, UNVERIFIABLE }

  private final Set<String> ids = new HashSet<>();
  private final Set<String> fullUrls = new HashSet<>();
  private final Set<String> otherPatientUrls = new HashSet<>();

  PatientIdentity(String patientId, Patient patient, List<Resource> resources, List<String> fullUrls) {
    addId(patientId);
    if (patient != null) {
      addId(patient.getIdElement().getValue());
    }
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i) instanceof Patient p) {
        String url = fullUrls.get(i);
        String id = ResourceKeys.idPart(p.getIdElement().getValue());
        boolean same = p == patient || (id != null ? ids.contains(id) : url != null && ids.contains(ResourceKeys.idPart(url)));
        if (url != null && !url.isBlank()) {
          (same ? this.fullUrls : otherPatientUrls).add(url.trim());
        }
      }
    }
  }

  private void addId(String value) {
    String id = ResourceKeys.idPart(value);
    if (id != null) {
      ids.add(id);
    }
    if (value != null && !value.isBlank()) {
      fullUrls.add(value.trim());
    }
  }

  Match match(Reference subject) {
    if (subject == null || subject.isEmpty()) {
      return Match.UNVERIFIABLE;
    }
    if (subject.getResource() instanceof Patient p && ResourceKeys.idPart(p.getIdElement().getValue()) != null) {
      return ids.contains(ResourceKeys.idPart(p.getIdElement().getValue())) ? Match.THIS_PATIENT : Match.OTHER_SUBJECT;
    }
    String ref = FhirConcepts.blankToNull(subject.getReference());
    if (ref == null) {
      // Only an identifier or a display: nothing to check against.
      return Match.UNVERIFIABLE;
    }
    ref = ref.trim();
    if (fullUrls.contains(ref)) {
      return Match.THIS_PATIENT;
    }
    if (otherPatientUrls.contains(ref)) {
      return Match.OTHER_SUBJECT;
    }
    if (ResourceKeys.isUrn(ref)) {
      // The reader grouped this resource by that urn; without the Patient's full URL we cannot say more.
      return ids.contains(ResourceKeys.idPart(ref)) ? Match.THIS_PATIENT : Match.UNVERIFIABLE;
    }
    String type = ResourceKeys.typeOf(ref);
    if (type != null && !"Patient".equals(type)) {
      return Match.OTHER_SUBJECT;
    }
    return ids.contains(ResourceKeys.idPart(ref)) ? Match.THIS_PATIENT : Match.OTHER_SUBJECT;
  }
}
