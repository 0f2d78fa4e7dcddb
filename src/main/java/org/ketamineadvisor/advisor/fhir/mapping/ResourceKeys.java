package org.ketamineadvisor.advisor.fhir.mapping;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The "ResourceType/id" names the records use as evidence: unqualified id, no version, no base URL;
 * a resource known only by a {@code urn:uuid:} full URL is named by its uuid.
 */
public final class ResourceKeys {

  private static final String URN_UUID = "urn:uuid:";
  private static final String URN_OID = "urn:oid:";

  private ResourceKeys() {}

  /** The key of a resource, from its id, else its Bundle full URL; null when it has neither. */
  static String keyOf(Resource resource, String fullUrl) {
    String id = idPart(resource.getIdElement().getValue());
    if (id == null) {
      id = idPart(fullUrl);
    }
    return id == null ? null : resource.fhirType() + "/" + id;
  }

  /**
   * The unqualified id in an id, a reference or a full URL: "Patient/p1/_history/2" → "p1",
   * "https://ehr/fhir/Patient/p1" → "p1", "urn:uuid:X" → "X", "p1" → "p1"; null when blank.
   */
  public static String idPart(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.startsWith(URN_UUID)) {
      return v.substring(URN_UUID.length());
    }
    if (v.startsWith(URN_OID)) {
      return v.substring(URN_OID.length());
    }
    if (v.startsWith("#")) {
      return v.length() > 1 ? v.substring(1) : null;
    }
    String part = new IdType(v).getIdPart();
    return part == null || part.isBlank() ? null : part;
  }

  /** The resource type a reference names ("Patient/p1" → "Patient"), null for urns and bare ids. */
  static String typeOf(String reference) {
    if (reference == null || reference.isBlank() || reference.startsWith("urn:") || reference.startsWith("#")) {
      return null;
    }
    return new IdType(reference.trim()).getResourceType();
  }

  static boolean isUrn(String reference) {
    return reference != null && reference.trim().startsWith("urn:");
  }
}
