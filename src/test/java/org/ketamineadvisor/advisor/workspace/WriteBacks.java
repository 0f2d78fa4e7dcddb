package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;

import org.ketamineadvisor.advisor.fhir.mapping.FhirRecordMapper;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.ketamineadvisor.advisor.assessment.AssessmentEngine;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** Test data: the assessment and write-back Bundle of a patient read from a server, as the app makes them. */
public final class WriteBacks {

  public static final PatientAssessor ASSESSOR = new PatientAssessor(new FhirRecordMapper(),
      new AssessmentEngine(ValueSetTerminology.loadDefault(), new UcumUnitConverter(), RuleSettings.defaults()),
      new InfusionPlanner());

  private WriteBacks() {}

  public static AssessedPatient assess(PatientRead read, LocalDate asOf) {
    return ASSESSOR.assess(read.resources(), read.problems(), asOf, List.of(), new PlanRequest(null, null, null));
  }

  public static Bundle bundleFor(PatientRead read, LocalDate asOf) {
    AssessedPatient result = assess(read, asOf);
    return new WriteBackBundleBuilder().build(result.assessment(), result.plan(),
        new WriteBackContext(null, Instant.parse("2026-06-01T12:00:00Z"), false, "test"));
  }
}
