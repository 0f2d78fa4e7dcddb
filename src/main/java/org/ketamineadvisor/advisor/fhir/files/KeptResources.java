package org.ketamineadvisor.advisor.fhir.files;

/**
 * Where {@link FhirFileReader#keep} puts what it keeps of one file: each wanted patient's resources (raw JSON with
 * its file and line) and every Medication. The reader's own spool is one; the Spark job's per-file task is another.
 */
public interface KeptResources {

  /** A resource of {@code patientId} (its Patient included), in the order the file holds it. */
  void resource(String patientId, SpooledResource resource);

  /** A Medication: {@code inBundle} when it serves only its own Bundle's resources, else shared by id. */
  void medication(SpooledResource medication, boolean inBundle);
}
