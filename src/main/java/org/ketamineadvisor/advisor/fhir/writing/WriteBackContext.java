package org.ketamineadvisor.advisor.fhir.writing;

import java.time.Instant;

/**
 * Who writes back and when: the signing clinician's FHIR reference ({@code fhirUser}, e.g.
 * Practitioner/123; null from the command line) and their name (null when unknown), the signing (or export) time recorded in the
 * Provenance, whether the clinician signed (CarePlan active rather than draft), the app version, and whether a
 * signed plan's Goal is written with it (not when the EHR did not grant Goal create).
 */
public record WriteBackContext(String fhirUser, String fhirUserName, Instant signedAt, boolean signed,
    String appVersion, boolean writeGoal) {

  /** Without the clinician's name: references to them carry no display. */
  public WriteBackContext(String fhirUser, Instant signedAt, boolean signed, String appVersion) {
    this(fhirUser, null, signedAt, signed, appVersion, true);
  }

  /** With the Goal written alongside a signed plan (§ 8.3). */
  public WriteBackContext(String fhirUser, String fhirUserName, Instant signedAt, boolean signed, String appVersion) {
    this(fhirUser, fhirUserName, signedAt, signed, appVersion, true);
  }

  /** The signing clinician as a reference, with their name as its display when known (so the chart reads a name). */
  org.hl7.fhir.r4.model.Reference signer() {
    org.hl7.fhir.r4.model.Reference who = new org.hl7.fhir.r4.model.Reference(fhirUser);
    if (fhirUserName != null && !fhirUserName.isBlank()) {
      who.setDisplay(fhirUserName);
    }
    return who;
  }

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
