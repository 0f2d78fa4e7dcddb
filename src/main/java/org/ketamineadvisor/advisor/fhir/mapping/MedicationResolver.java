package org.ketamineadvisor.advisor.fhir.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Finds the Medication a medicationReference points to: contained ("#med1"), relative
 * ("Medication/123", any version), a Bundle full URL ("urn:uuid:…", absolute URL) or an absolute
 * URL ending in "Medication/123". Indexed once per patient so each lookup is a map access.
 */
final class MedicationResolver {

  private final Map<String, Medication> byFullUrl = new HashMap<>();
  private final Map<String, Medication> byId = new HashMap<>();

  MedicationResolver(List<Resource> resources, List<String> fullUrls) {
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i) instanceof Medication m) {
        String fullUrl = fullUrls.get(i);
        if (fullUrl != null && !fullUrl.isBlank()) {
          byFullUrl.putIfAbsent(fullUrl.trim(), m);
        }
        String value = m.getIdElement().getValue();
        if (value != null && !value.isBlank()) {
          byFullUrl.putIfAbsent(value.trim(), m);
        }
        String id = ResourceKeys.idPart(value);
        if (id == null) {
          id = ResourceKeys.idPart(fullUrl);
        }
        if (id != null) {
          byId.putIfAbsent(id, m);
        }
      }
    }
  }

  /** The referenced Medication, or null when the record does not hold it. */
  Medication resolve(DomainResource owner, Reference reference) {
    if (reference.getResource() instanceof Medication m) {
      return m;
    }
    String ref = FhirConcepts.blankToNull(reference.getReference());
    if (ref == null) {
      return null;
    }
    ref = ref.trim();
    if (ref.startsWith("#")) {
      return contained(owner, ref.substring(1));
    }
    Medication exact = byFullUrl.get(ref);
    if (exact != null) {
      return exact;
    }
    String type = ResourceKeys.typeOf(ref);
    if (type != null && !"Medication".equals(type)) {
      return null;
    }
    // A urn:uuid without a matching full URL still names the Medication when ids equal the uuid (Synthea).
    String id = ResourceKeys.idPart(ref);
    return id == null ? null : byId.get(id);
  }

  private static Medication contained(DomainResource owner, String id) {
    for (Resource r : owner.getContained()) {
      if (r instanceof Medication m && id.equals(ResourceKeys.idPart(m.getIdElement().getValue()))) {
        return m;
      }
    }
    return null;
  }
}
