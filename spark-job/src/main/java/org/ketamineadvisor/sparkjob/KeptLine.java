package org.ketamineadvisor.sparkjob;

import java.io.Serializable;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;
import org.ketamineadvisor.advisor.fhir.files.SpooledResource;

/**
 * What a task's read of one file yields ({@link DistributedScreen}'s second pass): a resource of a wanted patient, a
 * Medication, a problem with the file, or the id of a patient who was asked about and not wanted (to find resources
 * whose patient has no Patient resource). {@code order} places it in the export's reading order: the file's index in
 * the high bits, its position in the file below, so that sorting by it gives the order the app reads in.
 */
record KeptLine(Kind kind, String patientId, long order, SpooledResource resource, boolean inBundle,
    InputProblem problem) implements Serializable {

  /** What the line is. */
  enum Kind { RESOURCE, MEDICATION, PROBLEM, ASKED }

  /** Bits of {@link #order} for the position within a file: 2^40 resources a file is more than any export holds. */
  static final int POSITION_BITS = 40;

  static long order(int fileIndex, long position) {
    return ((long) fileIndex << POSITION_BITS) | position;
  }

  static KeptLine resource(String patientId, long order, SpooledResource resource) {
    return new KeptLine(Kind.RESOURCE, patientId, order, resource, false, null);
  }

  static KeptLine medication(long order, SpooledResource medication, boolean inBundle) {
    return new KeptLine(Kind.MEDICATION, null, order, medication, inBundle, null);
  }

  static KeptLine problem(long order, InputProblem problem) {
    return new KeptLine(Kind.PROBLEM, null, order, null, false, problem);
  }

  static KeptLine asked(String patientId) {
    return new KeptLine(Kind.ASKED, patientId, 0, null, false, null);
  }
}
