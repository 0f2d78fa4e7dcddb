package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;

/**
 * One line of a revision's comparison, shown beside the signature while a signed plan is revised: what the plan in
 * force says and what the revised one would, so that what the signature changes is read before signing.
 */
record RevisionRow(String label, String inForce, String revised, boolean changed) {

  /**
   * The plan in force beside the revised course: protocol, each session's dose, sessions and dates; a revision that
   * proposes no course says why.
   */
  static List<RevisionRow> revision(ExistingPlan inForce, PatientPage.PlanView revised, String noPlanReason) {
    List<RevisionRow> rows = new ArrayList<>();
    String none = revised == null ? "no course" + (noPlanReason == null ? "" : " (" + noPlanReason + ")") : null;
    String title = inForce.title() == null ? "Ketamine infusion plan" : inForce.title();
    rows.add(row("Protocol", title, revised == null ? none
        : "Ketamine infusion course (" + revised.protocolId() + ")"));
    ExistingPlan.Dosing dosing = inForce.dosing();
    rows.add(row("Each session", dosing == null ? "not stated in the plan"
        : dosing.doseMg() + " mg over " + DecisionSummary.duration(dosing.minutes()),
        revised == null ? "—" : revised.order().doseMg() + " mg over " + revised.order().duration()));
    rows.add(row("Sessions", inForce.sessions().isEmpty() ? "not listed in the plan"
        : String.valueOf(inForce.sessions().size()), revised == null ? "—" : String.valueOf(revised.sessions())));
    String inForceDates = !inForce.sessions().isEmpty()
        ? span(inForce.sessions().get(0), inForce.sessions().get(inForce.sessions().size() - 1))
        : inForce.start() != null ? span(inForce.start(), inForce.end()) : "not stated";
    rows.add(row("Dates", inForceDates, revised == null ? "—"
        : span(revised.sessionDates().get(0), revised.sessionDates().get(revised.sessionDates().size() - 1))));
    return rows;
  }

  private static RevisionRow row(String label, String inForce, String revised) {
    return new RevisionRow(label, inForce, revised, !inForce.equals(revised));
  }

  private static String span(LocalDate first, LocalDate last) {
    return last == null || last.equals(first) ? PlanDates.day(first)
        : PlanDates.day(first) + " to " + PlanDates.day(last);
  }
}
