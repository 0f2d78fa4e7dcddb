package org.ketamineadvisor.advisor.fhir.files;

/**
 * One resource's raw JSON waiting to be parsed, with where it came from: {@code file} for the
 * patient's source, {@code location} for problems ("file:line N" in NDJSON), the Bundle entry's
 * {@code fullUrl} (or null) and the type and id read by {@link ResourceHeader}. Serializable: the Spark job moves
 * it from the task that read it to the one that parses its patient.
 */
public record SpooledResource(String file, String location, String fullUrl, String resourceType, String id,
    String json) implements java.io.Serializable {

  public SpooledResource {
    if (file == null || location == null || resourceType == null || json == null) {
      throw new IllegalArgumentException("a spooled resource needs its file, location, type and JSON");
    }
  }

  /** "Observation/o1", or just the type when the resource has no id, for messages. */
  public String label() {
    return id == null ? resourceType : resourceType + "/" + id;
  }

  /** Rough heap cost, to decide when to move the spool to disk. */
  long weight() {
    return 2L * json.length() + 2L * location.length() + (fullUrl == null ? 0 : 2L * fullUrl.length()) + 96;
  }
}
