package org.ketamineadvisor.advisor.fhir.mapping;

import java.util.List;
import org.ketamineadvisor.advisor.assessment.PatientRecord;

/**
 * The result of mapping one patient's resources: the record the rules read, and what could not be
 * taken as written (one human-readable line each, naming the resource by type and id only).
 */
public record MappedRecord(PatientRecord record, List<String> problems) {

  public MappedRecord {
    if (record == null) {
      throw new IllegalArgumentException("a mapped record needs its PatientRecord");
    }
    problems = problems == null ? List.of() : List.copyOf(problems);
  }
}
