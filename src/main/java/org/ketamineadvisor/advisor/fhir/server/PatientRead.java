package org.ketamineadvisor.advisor.fhir.server;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

import java.util.List;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;

/**
 * One patient read from a FHIR server: the resources, the resource types that could not be read
 * completely (their rules become unknown; never presented as "no data"), and what the read cost.
 */
public record PatientRead(PatientResources resources, List<ReadProblem> problems, RequestStats stats) {
  public PatientRead {
    if (resources == null) {
      throw new IllegalArgumentException("a patient read needs the resources read");
    }
    problems = List.copyOf(problems);
  }

  /** True when every needed resource type was read completely. */
  public boolean complete() {
    return problems.isEmpty();
  }
}
