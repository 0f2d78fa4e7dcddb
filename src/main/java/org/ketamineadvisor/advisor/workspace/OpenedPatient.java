package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.mapping.MappedRecord;
import org.ketamineadvisor.advisor.fhir.mapping.PatientBanner;
import org.ketamineadvisor.advisor.fhir.server.ServerNeed;

import java.time.LocalDate;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;

/**
 * One launched patient as read from the EHR, kept for the clinician's session so that attestations and plan
 * changes re-assess without reading the server again: the mapped record (with the types that could not be read),
 * the as-of date, the name and birth date for a patient banner (from the Patient read with the record), why the
 * server cannot take a write-back (what it lacks; empty when it can), and what this app wrote to the chart before (its plans and
 * latest signed assessment, or why they could not be looked up).
 */
public record OpenedPatient(String fhirBase, String patientId, LocalDate asOf, MappedRecord mapped,
    PatientBanner banner, List<ServerNeed> missingForWriting, ChartState chart) {

  public OpenedPatient {
    if (fhirBase == null || patientId == null || asOf == null || mapped == null || banner == null) {
      throw new IllegalArgumentException("an opened patient needs its server, id, as-of date, record and banner");
    }
    missingForWriting = List.copyOf(missingForWriting);
    chart = chart == null ? ChartState.unchecked("not looked up") : chart;
  }

  /** The same patient with the chart as found again (after signing, the page shows what the server now holds). */
  public OpenedPatient withChart(ChartState found) {
    return new OpenedPatient(fhirBase, patientId, asOf, mapped, banner, missingForWriting, found);
  }

  /** Why the server cannot take a write-back, in the page's words; empty when it can. */
  public List<String> serverWriteBlockers() {
    return missingForWriting.stream().map(need -> "the EHR's FHIR server does not support " + need.what()).toList();
  }

  /** Where the record was read: the Patient's URL on the server, as warnings name it. */
  public String source() {
    String base = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
    return base + "/Patient/" + patientId;
  }

  public List<ExistingPlan> existingPlans() {
    return chart.plans();
  }

  /** Why the plans written before could not be looked up; null when they could. */
  public String existingPlansProblem() {
    return chart.problem();
  }

  public PatientRecord record() {
    return mapped.record();
  }

  /** Resource types that could not be read completely: the page says the assessment is incomplete. */
  public List<ReadProblem> readProblems() {
    return mapped.record().readProblems();
  }

  public boolean readComplete() {
    return readProblems().isEmpty();
  }
}
