package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.mapping.FhirRecordMapper;
import org.ketamineadvisor.advisor.fhir.mapping.MappedRecord;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.AssessmentEngine;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UnitConverter;

/**
 * One patient from FHIR resources to a verdict and a proposed plan: mapping, rules, protocol. The
 * command line and the clinician pages both go through here so the same record gives the same answer.
 */
public final class PatientAssessor {

  private final FhirRecordMapper mapper;
  private final AssessmentEngine engine;
  private final InfusionPlanner planner;

  public PatientAssessor(FhirRecordMapper mapper, AssessmentEngine engine, InfusionPlanner planner) {
    this.mapper = mapper;
    this.engine = engine;
    this.planner = planner;
  }
  /** The pipeline with the default rule settings and planner: the command line and the pages use this. */
  public static PatientAssessor withDefaultRules(Terminology terminology, UnitConverter units) {
    return withDefaultRules(terminology, units, SiteSettings.defaults());
  }

  /** The default rules with the site's infusion days, concentration and drugs (§ 5, § 5.1). */
  public static PatientAssessor withDefaultRules(Terminology terminology, UnitConverter units, SiteSettings site) {
    return new PatientAssessor(new FhirRecordMapper(),
        new AssessmentEngine(terminology, units, RuleSettings.defaults()), new InfusionPlanner(site));
  }


  public AssessedPatient assess(PatientResources resources, LocalDate asOf, List<Attestation> attestations,
      PlanRequest planRequest) {
    MappedRecord mapped = mapper.map(resources);
    Assessment assessment = engine.assess(mapped.record(), asOf, attestations);
    Optional<InfusionPlan> plan = planner.propose(assessment, planRequest);
    return new AssessedPatient(assessment, plan, mapped.problems());
  }

  /**
   * As {@link #assess(PatientResources, LocalDate, List, PlanRequest)} for a record read from a server:
   * the rules depending on a type in {@code readProblems} become unknown rather than not met.
   */
  public AssessedPatient assess(PatientResources resources, List<PatientRecord.ReadProblem> readProblems,
      LocalDate asOf, List<Attestation> attestations, PlanRequest planRequest) {
    MappedRecord mapped = map(resources, readProblems);
    return assess(mapped, asOf, attestations, planRequest);
  }

  /** The record the rules read, with the read problems that make some of them unknown. */
  public MappedRecord map(PatientResources resources, List<PatientRecord.ReadProblem> readProblems) {
    MappedRecord mapped = mapper.map(resources);
    PatientRecord r = mapped.record();
    return new MappedRecord(new PatientRecord(r.patient(), r.conditions(), r.medications(), r.observations(),
        r.allergies(), readProblems), mapped.problems());
  }

  /**
   * Assesses an already mapped record again, e.g. after a clinician's attestation: the clinician pages keep the
   * mapped record instead of reading the server again.
   */
  public AssessedPatient assess(MappedRecord mapped, LocalDate asOf, List<Attestation> attestations,
      PlanRequest planRequest) {
    return assess(mapped, asOf, attestations, List.of(), planRequest);
  }

  /** As {@link #assess(MappedRecord, LocalDate, List, PlanRequest)} with values the clinician entered (§ 2.4). */
  public AssessedPatient assess(MappedRecord mapped, LocalDate asOf, List<Attestation> attestations,
      List<EnteredValue> entered, PlanRequest planRequest) {
    Assessment assessment = engine.assess(mapped.record(), asOf, attestations, entered);
    Optional<InfusionPlan> plan = planner.propose(assessment, planRequest);
    return new AssessedPatient(assessment, plan, mapped.problems());
  }

  /** The verdict, the plan (empty when none can be proposed) and what the mapping could not use. */
  public record AssessedPatient(Assessment assessment, Optional<InfusionPlan> plan, List<String> mappingProblems) {
    public AssessedPatient {
      mappingProblems = List.copyOf(mappingProblems);
    }
  }
}
