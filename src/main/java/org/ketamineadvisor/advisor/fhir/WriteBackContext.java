package org.ketamineadvisor.advisor.fhir;

import java.time.Instant;

/**
 * Who writes back and when: the signing clinician's FHIR reference ({@code fhirUser}, e.g.
 * Practitioner/123; null from the command line), the signing (or export) time recorded in the
 * Provenance, whether the clinician signed (CarePlan active rather than draft), and the app version.
 */
public record WriteBackContext(String fhirUser, Instant signedAt, boolean signed, String appVersion) {
  public WriteBackContext {
    if (signedAt == null) {
      throw new IllegalArgumentException("a write-back needs the time it is recorded (signedAt)");
    }
    if (appVersion == null || appVersion.isBlank()) {
      throw new IllegalArgumentException("a write-back needs the app version for its Provenance");
    }
    if (signed && (fhirUser == null || fhirUser.isBlank())) {
      throw new IllegalArgumentException("a signed write-back needs the signing clinician (fhirUser)");
    }
  }
}
