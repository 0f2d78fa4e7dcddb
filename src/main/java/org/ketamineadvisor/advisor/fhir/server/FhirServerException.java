package org.ketamineadvisor.advisor.fhir.server;

/** A FHIR server could not be used at all (unreachable, patient not found, no CapabilityStatement); the message says what to do. */
public final class FhirServerException extends RuntimeException {
  public FhirServerException(String message) {
    super(message);
  }
}
