package org.ketamineadvisor.advisor.screen;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;
import org.ketamineadvisor.advisor.fhir.files.PatientParser;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/**
 * The screen's step for one candidate: assessed exactly as {@code assess --input} does (same
 * {@link PatientAssessor}, as-of date and site codes), and turned into what the outputs hold
 * ({@link ScreenedPatient}). {@link Screening} calls it patient by patient; the Spark job calls it on its executors.
 * A failed assessment is part of the result, not an exception: the other patients go on. Not thread-safe.
 */
public final class PatientScreen {

  private final PatientAssessor assessor;
  private final LocalDate asOf;
  private final List<PatientRecord.ReadProblem> readProblems;
  private final PlanRequest planRequest = new PlanRequest(null, null, null);
  private final ScreenLine lines = new ScreenLine();

  /**
   * @param terminology the value sets with the site's local codes
   * @param asOf the date every window is measured back from
   * @param typesNotExported FHIR resource types the export left out: each becomes a read problem of every patient,
   *     so the rules reading it are unknown, never "not met"
   */
  public PatientScreen(Terminology terminology, LocalDate asOf, List<String> typesNotExported) {
    this.assessor = PatientAssessor.withDefaultRules(terminology, new UcumUnitConverter());
    this.asOf = asOf;
    this.readProblems = typesNotExported.stream().distinct()
        .map(type -> new PatientRecord.ReadProblem(type, Screening.NOT_EXPORTED)).toList();
  }

  /** Screens a patient as the reader parsed it: the problems reading it go with it, and nobody is assessed without a Patient. */
  public ScreenedPatient screen(String patientId, PatientParser.ParsedPatient parsed) {
    if (parsed.resources() == null) {
      return ScreenedPatient.unread(patientId, parsed.problems());
    }
    return screen(parsed.resources(), parsed.problems());
  }

  /** Screens one patient's resources. */
  public ScreenedPatient screen(PatientResources patient) {
    return screen(patient, List.of());
  }

  private ScreenedPatient screen(PatientResources patient, List<InputProblem> readingProblems) {
    AssessedPatient result;
    try {
      result = readProblems.isEmpty() ? assessor.assess(patient, asOf, List.of(), planRequest)
          : assessor.assess(patient, readProblems, asOf, List.of(), planRequest);
    } catch (RuntimeException e) {
      return new ScreenedPatient(patient.patientId(), patient.source(), readingProblems, null, null, null, List.of(),
          List.of(), List.of(), String.valueOf(e.getMessage()), null, null, null);
    }
    Assessment a = result.assessment();
    List<ScreenSummary.ReasonCount> deciding = a.decidingFindings().stream()
        .map(f -> new ScreenSummary.ReasonCount(f.rule().id(), f.outcome().code(), Worklist.words(f), 1)).toList();
    List<String> warnings = new ArrayList<>(result.mappingProblems());
    warnings.addAll(a.dataProblems());
    InfusionPlan plan = result.plan().orElse(null);
    return new ScreenedPatient(patient.patientId(), patient.source(), readingProblems, a.verdict(),
        lines.line(result), Worklist.row(result), deciding, a.unknowns().stream().map(Finding::rule)
            .map(rule -> rule.id()).toList(), warnings, null,
        plan == null ? null : plan.protocol().id(), plan == null ? null : plan.sessions(),
        plan == null ? null : plan.doseMg());
  }
}
