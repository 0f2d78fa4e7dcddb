package org.ketamineadvisor.advisor.fhir.files;

import java.util.function.Supplier;

/**
 * What a {@link FhirFileScanner} does with the resources it finds, so that one piece of file handling (folders,
 * .gz, BOM, NDJSON lines, streamed Bundles, urn:uuid references) serves both the reader's spooling and the
 * screening census: how much of each resource's header to read, and where a resource goes once its patient is
 * known.
 */
interface ScanTarget {

  /** How much of a resource of {@code type} to read; {@code TYPE} drops it unread (a Bundle entry is not copied). */
  ResourceHeader.Need need(String type);

  /**
   * A Patient (under its own id) or a resource of that patient, with the header read as {@link #need} asked; its
   * text is decoded only if {@code resource} is asked for (an NDJSON line is bytes until then).
   */
  void patientResource(String patientId, ResourceHeader header, Supplier<SpooledResource> resource);

  /** A Medication: {@code inBundle} when it serves only its own Bundle's resources, else shared by id. */
  void medication(SpooledResource medication, boolean inBundle);

  /**
   * Whether lines may be dropped on their subject alone, found by {@link QuickSubject} without a parser, when
   * {@link #dropsPatient} says so: the screen's second pass, which keeps a few candidates of many patients.
   */
  default boolean skipsQuickly() {
    return false;
  }

  /** Whether every resource of this patient is dropped (asked only when {@link #skipsQuickly()}). */
  default boolean dropsPatient(String patientId) {
    return false;
  }

  /** One resource found in a file (an NDJSON line that is not blank, a Bundle entry), used or not: for counting. */
  default void resourceFound() {
  }
}
