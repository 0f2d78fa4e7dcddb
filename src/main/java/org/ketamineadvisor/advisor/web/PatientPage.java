package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId.Category;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlannedActivity;
import org.ketamineadvisor.advisor.careplan.ProtocolId;
import org.ketamineadvisor.advisor.fhir.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.OpenedPatient;
import org.ketamineadvisor.advisor.fhir.PatientAssessor.AssessedPatient;

/** What the clinician page shows for one assessed patient, already in the clinician's words. */
record PatientPage(
    LocalDate asOf,
    VerdictView verdict,
    String indication,
    List<String> readProblems,
    List<String> mappingProblems,
    List<FindingView> indications,
    List<FindingView> contraindications,
    List<FindingView> precautions,
    List<FindingView> unknowns,
    List<FindingView> attested,
    List<RiskView> risks,
    List<ChartView> charts,
    PlanView plan,
    String noPlanReason,
    List<ExistingPlan> existingPlans,
    String existingPlansProblem,
    SignView sign) {

  /** The verdict's words, its CSS class (colour), its icon (a shape and a symbol) and what it means for the plan. */
  record VerdictView(String code, String words, String icon, String meaning) {}

  record RiskView(String name, String level) {}

  /** One chart with its data as a table (the fallback for screen readers and print). */
  record ChartView(String id, String heading, String svg, List<String> columns, List<List<String>> rows) {}

  /** The proposed course. */
  record PlanView(String protocolId, String protocol, String source, String doseCalculation, int sessions,
      int doseMg, int minutesPerSession, List<LocalDate> sessionDates, List<ActivityView> activities, boolean draft) {}

  record ActivityView(String description, String when, String forRules) {}

  /**
   * Whether the clinician may sign now, and if not why; whether this EHR can take a write-back at all (if not:
   * download and print instead); and the result of signing, if it happened.
   */
  record SignView(boolean canSign, List<String> notYet, boolean canWrite, List<String> cannotWrite,
      boolean offerDownload, List<String> writtenIds, String failure) {}

  private static final Map<Verdict, VerdictView> VERDICTS = Map.of(
      Verdict.CONTRAINDICATED, new VerdictView("contraindicated", "Not suitable — contraindicated", "✖",
          "A contraindication is present: no infusion course is proposed."),
      Verdict.NOT_INDICATED, new VerdictView("not-indicated", "Not indicated", "⊘",
          "The criteria for a ketamine infusion course are not met: no course is proposed."),
      Verdict.NEEDS_INFORMATION, new VerdictView("needs-information", "Needs information", "?",
          "Information is missing. The course below is a draft until each unknown is recorded in the EHR or attested."),
      Verdict.SUITABLE_WITH_PRECAUTIONS, new VerdictView("suitable-with-precautions", "Suitable with precautions", "!",
          "A course can be given with the precautions listed; the plan carries their monitoring."),
      Verdict.SUITABLE, new VerdictView("suitable", "Suitable", "✔",
          "No contraindication, precaution or missing information was found."));

  static PatientPage of(OpenedPatient opened, AssessedPatient assessed, VitalSignsSeries vitals, Access access,
      PatientReview.SignOutcome signed) {
    Assessment a = assessed.assessment();
    LocalDate asOf = a.asOf();
    List<FindingView> indications = new ArrayList<>();
    List<FindingView> contraindications = new ArrayList<>();
    List<FindingView> precautions = new ArrayList<>();
    List<FindingView> unknowns = new ArrayList<>();
    List<FindingView> attested = new ArrayList<>();
    for (Finding f : a.findings()) {
      FindingView view = FindingView.of(f, asOf);
      Category category = f.rule().category();
      if (f.attestation() != null) {
        attested.add(view);
      }
      if (f.outcome() == Outcome.UNKNOWN) {
        unknowns.add(view);
      } else if (category == Category.INDICATION) {
        indications.add(view);
      } else if (f.outcome() == Outcome.MET && category == Category.CONTRAINDICATION) {
        contraindications.add(view);
      } else if (f.outcome() == Outcome.MET && (category == Category.PRECAUTION || category == Category.INTERACTION)) {
        precautions.add(view);
      }
    }
    String indication = a.indicationGroup() == null ? "No neuropathic pain indication found"
        : "Indication group: " + a.indicationGroup().code() + " — evidence grade " + a.indicationGroup().evidenceGrade()
            + " (" + a.indicationGroup().gradeMeaning() + ", ASRA 2018)";
    List<RiskView> risks = new ArrayList<>();
    for (Risk risk : Risk.values()) {
      Risk.Level level = a.risks().get(risk);
      risks.add(new RiskView(risk.display(), level == null ? "not assessed" : level.code()));
    }
    List<String> readProblems = opened.readProblems().stream().map(p -> "Could not read " + words(p.resourceType())
        + " (" + p.reason() + ") — this assessment is incomplete: the rules that need them are unknown, "
        + "not absent. Reload the page to read the record again.").toList();
    PlanView plan = assessed.plan().map(PatientPage::plan).orElse(null);
    String noPlanReason = plan != null ? null : noPlanReason(a);
    SignView sign = sign(opened, assessed, access, signed);
    return new PatientPage(asOf, VERDICTS.get(a.verdict()), indication, readProblems, assessed.mappingProblems(),
        indications, contraindications, precautions, unknowns, attested, risks, VitalCharts.of(vitals), plan,
        noPlanReason, opened.existingPlans(), opened.existingPlansProblem(), sign);
  }

  /** What the granted scopes allow, from the launch (the web layer knows them, the FHIR layer does not). */
  record Access(boolean scopesAllowWriting, List<String> scopeLimitations) {}

  private static PlanView plan(InfusionPlan p) {
    List<ActivityView> activities = new ArrayList<>();
    for (PlannedActivity activity : p.activities()) {
      String rules = activity.rules().isEmpty() ? null : "Because of: " + String.join(", ",
          activity.rules().stream().map(r -> r.title() + " (" + r.id() + ")").toList());
      activities.add(new ActivityView(activity.description(), activity.timing().text(), rules));
    }
    return new PlanView(p.protocol().id(), p.protocol().display(), p.protocol().source(), p.doseCalculation(),
        p.sessions(), p.doseMg(), p.minutesPerSession(), p.sessionDates(), activities, p.draft());
  }

  private static String noPlanReason(Assessment a) {
    return switch (a.verdict()) {
      case CONTRAINDICATED -> "No course is proposed: a contraindication is present.";
      case NOT_INDICATED -> "No course is proposed: the patient does not meet the criteria for treatment.";
      default -> a.weight() == null
          ? "No course can be proposed without a body weight within 90 days: record a weight in the EHR and reload."
          : "No course can be proposed.";
    };
  }

  private static SignView sign(OpenedPatient opened, AssessedPatient assessed, Access access,
      PatientReview.SignOutcome signed) {
    Assessment a = assessed.assessment();
    List<String> notYet = new ArrayList<>();
    if (assessed.plan().isEmpty()) {
      notYet.add("There is no plan to sign for this verdict.");
    }
    if (!a.unknowns().isEmpty()) {
      notYet.add("Resolve or attest every unknown first (" + a.unknowns().size() + " left).");
    }
    if (!opened.readComplete()) {
      notYet.add("Part of the record could not be read: an assessment built on an incomplete record is not "
          + "written to the chart. Reload the page to read it again.");
    }
    if (opened.existingPlans().stream().anyMatch(ExistingPlan::current)) {
      notYet.add("A plan written by this app is already in the chart (see above): review it there instead of "
          + "writing another.");
    }
    List<String> cannotWrite = new ArrayList<>(access.scopesAllowWriting() ? List.of()
        : access.scopeLimitations().stream().filter(l -> l.startsWith("Read-only")).toList());
    if (!access.scopesAllowWriting() && cannotWrite.isEmpty()) {
      cannotWrite.add("The EHR did not grant permission to write the assessment and plan.");
    }
    opened.serverWriteBlockers().forEach(b -> cannotWrite.add(capitalised(b) + "."));
    boolean canWrite = cannotWrite.isEmpty();
    boolean alreadySigned = signed != null && signed.succeeded();
    boolean canSign = notYet.isEmpty() && canWrite && !alreadySigned;
    return new SignView(canSign, notYet, canWrite, cannotWrite, assessed.plan().isPresent(),
        signed == null ? List.of() : signed.writtenIds(), signed == null ? null : signed.failure());
  }

  private static String words(String resourceType) {
    return switch (resourceType) {
      case "Condition" -> "diagnoses (Condition)";
      case "MedicationRequest" -> "prescriptions (MedicationRequest)";
      case "MedicationStatement" -> "reported medications (MedicationStatement)";
      case "Medication" -> "medication details (Medication)";
      case "Observation" -> "vital signs and lab results (Observation)";
      case "AllergyIntolerance" -> "allergies (AllergyIntolerance)";
      default -> resourceType;
    };
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The protocols a clinician may choose, for the plan form. */
  static List<ProtocolId> protocols() {
    return List.of(ProtocolId.values());
  }
}
