package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId.Category;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.InfusionOrder;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlannedActivity;
import org.ketamineadvisor.advisor.careplan.ProtocolId;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/** What the clinician page shows for one assessed patient, already in the clinician's words. */
record PatientPage(
    LocalDate asOf,
    State state,
    VerdictView verdict,
    String indication,
    List<String> readProblems,
    List<String> mappingProblems,
    List<FindingView> indications,
    List<FindingView> contraindications,
    List<FindingView> precautions,
    List<FindingView> unknowns,
    List<FindingView> attested,
    List<String> enteredValues,
    List<RiskView> risks,
    List<ChartView> charts,
    PlanView plan,
    String noPlanReason,
    List<ExistingPlan> existingPlans,
    String existingPlansProblem,
    SignedView signed,
    SignView sign,
    DecisionView decision,
    List<DecisionSummary.CheckGroup> checklist) {

  /**
   * The top of the page: the deciding reasons (at most three, and how many more), high risks named apart, the course
   * in one line (or why there is none), and the primary action: {@code revise} (signed), {@code enter} (something
   * is missing) or {@code sign}; {@code missing} how many unknowns are left.
   */
  record DecisionView(List<String> reasons, int moreReasons, List<String> riskAlerts, String course,
      String primary, int missing) {}

  /**
   * Where the page stands: {@code DRAFT} nothing signed yet (the plan can be changed and signed); {@code SIGNED}
   * the app's signed assessment or plan is in the chart (shown first, read-only); {@code REVISING} the clinician
   * chose to revise it (the plan can be changed; signing replaces the one in the chart).
   */
  enum State { DRAFT, SIGNED, REVISING;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The verdict's words, its CSS class (colour), its icon (a shape and a symbol) and what it means for the plan. */
  record VerdictView(String code, String words, String icon, String meaning) {}

  record RiskView(String name, String level) {}

  /** The proposed course, with the order a nurse runs, its dates on clinic days and the calendar's cautions. */
  record PlanView(String protocolId, String protocol, String protocolTitle, String source, String doseCalculation,
      int sessions, int doseMg, int minutesPerSession, List<LocalDate> sessionDates, List<String> sessionDays,
      List<ActivityView> activities, boolean draft, OrderView order, List<String> followUps, List<String> cautions) {}

  /** The infusion order of § 5.1 in the page's words. */
  record OrderView(String solution, int doseMg, String volumeMl, String rateMgPerHour, String rateMlPerHour,
      String duration, int courseTotalMg, List<String> stop, String premedication, String rescue,
      List<String> discharge) {}

  /** One monitoring step: what, when (with its dates when they are few), and the rules that call for it (ids on demand). */
  record ActivityView(String description, String when, String forRules, String ruleIds) {}

  /**
   * Whether the clinician may sign now, and if not why; whether this EHR can take a write-back at all (if not:
   * download and print instead); and the result of signing, if it happened.
   */
  record SignView(boolean canSign, String label, List<String> notYet, boolean canWrite, List<String> cannotWrite,
      boolean offerDownload, List<String> writtenIds, String failure, boolean uncertain,
      boolean confirmNoActivePlan) {}

  static final Map<Verdict, VerdictView> VERDICTS = Map.of(
      Verdict.CONTRAINDICATED, new VerdictView("contraindicated", "Not suitable — contraindicated", "✖",
          "A contraindication is present: no infusion course is proposed."),
      Verdict.NOT_INDICATED, new VerdictView("not-indicated", "Not indicated", "⊘",
          "The criteria for a ketamine infusion course are not met: no course is proposed."),
      Verdict.NEEDS_INFORMATION, new VerdictView("needs-information", "Needs information", "?",
          "Information is missing. The course below is a draft until each unknown is recorded in the EHR, or its value or statement is entered here."),
      Verdict.SUITABLE_WITH_PRECAUTIONS, new VerdictView("suitable-with-precautions", "Suitable with precautions", "!",
          "A course can be given with the precautions listed; the plan carries their monitoring."),
      Verdict.SUITABLE, new VerdictView("suitable", "Suitable", "✔",
          "No contraindication, precaution or missing information was found."));

  static PatientPage of(OpenedPatient opened, AssessedPatient assessed, VitalSignsSeries vitals, Access access,
      PatientReview.SignOutcome signed) {
    return of(opened, assessed, vitals, access, signed, false, null);
  }

  /**
   * The page for the assessed patient; {@code editing} when the clinician chose to revise (or re-assess) what is
   * signed in the chart, {@code revising} the plan being replaced (null when none).
   */
  static PatientPage of(OpenedPatient opened, AssessedPatient assessed, VitalSignsSeries vitals, Access access,
      PatientReview.SignOutcome signed, boolean editing, ExistingPlan revising) {
    Assessment a = assessed.assessment();
    LocalDate asOf = a.asOf();
    Map<String, String> entered = new java.util.HashMap<>();
    List<String> enteredValues = new ArrayList<>();
    for (EnteredValue value : a.enteredValues()) {
      String words = value.describe() + " — entered by " + value.authorName() + " on "
          + WHEN.format(value.enteredAt().atOffset(ZoneOffset.UTC));
      value.references().forEach(r -> entered.put(r, words));
      enteredValues.add(words);
    }
    List<FindingView> indications = new ArrayList<>();
    List<FindingView> contraindications = new ArrayList<>();
    List<FindingView> precautions = new ArrayList<>();
    List<FindingView> unknowns = new ArrayList<>();
    List<FindingView> attested = new ArrayList<>();
    for (Finding f : a.findings()) {
      FindingView view = FindingView.of(f, asOf, entered);
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
        : a.indicationGroup().display() + " — evidence grade " + a.indicationGroup().evidenceGrade()
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
    SignedView signedView = SignedView.of(opened.chart(), a);
    State state = editing ? State.REVISING : signedView != null ? State.SIGNED : State.DRAFT;
    SignView sign = sign(opened, assessed, access, signed, state, revising);
    DecisionSummary.Reasons reasons = DecisionSummary.reasons(a);
    boolean decisionNotToTreat = a.verdict() == Verdict.CONTRAINDICATED || a.verdict() == Verdict.NOT_INDICATED;
    String primary = state == State.SIGNED ? "revise"
        : !a.unknowns().isEmpty() && !decisionNotToTreat ? "enter" : "sign";
    String course = assessed.plan().map(DecisionSummary::course).orElse(null);
    DecisionView decision = new DecisionView(reasons.shown(), reasons.more(), DecisionSummary.riskAlerts(a), course,
        primary, a.unknowns().size());
    return new PatientPage(asOf, state, verdict(a), indication, readProblems, assessed.mappingProblems(),
        indications, contraindications, precautions, unknowns, attested, enteredValues, risks,
        VitalCharts.of(vitals, asOf), plan, noPlanReason, opened.existingPlans(), opened.existingPlansProblem(),
        signedView, sign, decision, DecisionSummary.checklist(a));
  }

  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  /** A decision not to treat (contraindicated, not indicated): nothing missing can change it. */
  public boolean decisionNotToTreat() {
    return "contraindicated".equals(verdict.code()) || "not-indicated".equals(verdict.code());
  }

  /** "None found among the contraindications screened.", or how many could not be checked and why. */
  public String contraindicationsNone() {
    return DecisionSummary.noneFound(checklist, "contraindications", "Contraindications");
  }

  /** As {@link #contraindicationsNone()} for the precautions and interactions. */
  public String precautionsNone() {
    return DecisionSummary.noneFound(checklist, "precautions and interactions", "Precautions", "Interactions");
  }

  /**
   * While revising a signed plan: the plan in force beside the revised course (protocol, each session's dose,
   * sessions, dates), so that what the signature changes is read before signing; null when not revising a plan.
   */
  public List<RevisionRow> revision() {
    if (state != State.REVISING || signed == null || signed.plan() == null) {
      return null;
    }
    return RevisionRow.revision(signed.plan(), plan, noPlanReason);
  }

  /**
   * The verdict's words; a verdict that rests on values or statements the clinician supplied says so (§ 2.4),
   * never "nothing missing".
   */
  private static VerdictView verdict(Assessment a) {
    VerdictView base = VERDICTS.get(a.verdict());
    int items = a.clinicianItems();
    if (items == 0) {
      return base;
    }
    String count = items + (items == 1 ? " item" : " items") + " entered by the clinician";
    String meaning = a.verdict() == Verdict.SUITABLE
        ? "No contraindication or precaution was found. This verdict rests on " + count + " (listed below), not on "
            + "the record alone."
        : base.meaning() + " This verdict rests on " + count + " (listed below).";
    return new VerdictView(base.code(), base.words() + " — " + count, base.icon(), meaning);
  }

  /**
   * What the granted scopes allow, from the launch (the web layer knows them, the FHIR layer does not): writing
   * the assessment and plan, writing entered values (Observation), revising a plan (CarePlan update), and
   * searching the chart for what this app wrote before.
   */
  record Access(boolean scopesAllowWriting, List<String> scopeLimitations, boolean mayWriteObservations,
      boolean mayUpdateCarePlans, boolean maySearchChart) {

    Access(boolean scopesAllowWriting, List<String> scopeLimitations) {
      this(scopesAllowWriting, scopeLimitations, true, true, true);
    }
  }

  private static PlanView plan(InfusionPlan p) {
    List<ActivityView> activities = new ArrayList<>();
    for (PlannedActivity activity : p.activities()) {
      String rules = activity.rules().isEmpty() ? null : "Because of: " + String.join("; ",
          activity.rules().stream().map(RuleId::title).toList());
      String ids = activity.rules().isEmpty() ? null : String.join(", ",
          activity.rules().stream().map(RuleId::id).toList());
      org.ketamineadvisor.advisor.careplan.Timing t = activity.timing();
      String when = t.text();
      if (t.when() == org.ketamineadvisor.advisor.careplan.Timing.When.ON_DATE
          || t.dates().size() == 1 && t.when() != org.ketamineadvisor.advisor.careplan.Timing.When.THROUGHOUT_COURSE) {
        when += ": " + String.join(", ", PlanDates.days(t.dates()));
      }
      activities.add(new ActivityView(activity.description(), when, rules, ids));
    }
    InfusionOrder o = p.order();
    OrderView order = new OrderView(o.solution(), o.doseMg(), o.volumeMl().toPlainString(),
        o.rateMgPerHour().stripTrailingZeros().toPlainString(), o.rateMlPerHour().toPlainString(),
        DecisionSummary.duration(o.minutes()), o.courseTotalMg(), o.stopCriteria(), o.premedicationInWords(),
        o.rescueInWords(), o.discharge());
    return new PlanView(p.protocol().id(), p.protocol().display(p.sessions()), p.protocol().title(), p.protocol().source(),
        p.doseCalculation(), p.sessions(), p.doseMg(), p.minutesPerSession(), p.sessionDates(),
        PlanDates.days(p.sessionDates()), activities, p.draft(), order, PlanDates.days(p.followUps()), p.cautions());
  }

  private static String noPlanReason(Assessment a) {
    return switch (a.verdict()) {
      case CONTRAINDICATED -> "No course is proposed: a contraindication is present.";
      case NOT_INDICATED -> a.outcome(RuleId.IND_LIVING) == Outcome.NOT_MET
          ? "No course is proposed: the record says the patient has died."
          : "No course is proposed: the patient does not meet the criteria for treatment.";
      // the page offers the weight form under "What is missing": say so, not only the round trip through the EHR
      default -> a.weight() == null
          ? "No course can be proposed without a body weight within 90 days: enter the weight under \"What is "
              + "missing\" (or record it in the EHR and reload)."
          : "No course can be proposed.";
    };
  }

  private static SignView sign(OpenedPatient opened, AssessedPatient assessed, Access access,
      PatientReview.SignOutcome signed, State state, ExistingPlan revising) {
    Assessment a = assessed.assessment();
    boolean decisionNotToTreat = a.verdict() == Verdict.CONTRAINDICATED || a.verdict() == Verdict.NOT_INDICATED;
    List<String> notYet = new ArrayList<>();
    if (state == State.SIGNED) {
      notYet.add("This assessment is signed and in the chart. To change the plan, revise it; the revised plan "
          + "replaces the signed one.");
    }
    if (assessed.plan().isEmpty() && !decisionNotToTreat) {
      String why = noPlanReason(a);
      notYet.add("There is no plan to sign yet: " + Character.toLowerCase(why.charAt(0)) + why.substring(1));
    } else if (!a.unknowns().isEmpty() && !decisionNotToTreat) {
      notYet.add("Resolve every unknown first (" + a.unknowns().size() + " left): enter the value or the statement "
          + "below.");
    }
    if (!opened.readComplete()) {
      notYet.add("Part of the record could not be read: an assessment built on an incomplete record is not "
          + "written to the chart. Reload the page to read it again.");
    }
    List<String> cannotWrite = new ArrayList<>(access.scopesAllowWriting() ? List.of()
        : access.scopeLimitations().stream().filter(l -> l.startsWith("Read-only")).toList());
    if (!access.scopesAllowWriting() && cannotWrite.isEmpty()) {
      cannotWrite.add("The EHR did not grant permission to write the assessment and plan.");
    }
    if (!a.enteredValues().isEmpty() && !access.mayWriteObservations()) {
      cannotWrite.add("The EHR did not grant permission to write Observations, so the values you entered cannot be "
          + "written with the assessment.");
    }
    if (revising != null && !access.mayUpdateCarePlans()) {
      cannotWrite.add("The EHR did not grant permission to update care plans, so the signed plan cannot be "
          + "replaced.");
    }
    opened.serverWriteBlockers().forEach(b -> cannotWrite.add(capitalised(b) + "."));
    boolean canWrite = cannotWrite.isEmpty();
    boolean alreadySigned = signed != null && signed.succeeded();
    boolean uncertain = signed != null && signed.uncertain();
    boolean canSign = notYet.isEmpty() && canWrite && !alreadySigned && !uncertain;
    String label;
    if (revising != null) {
      label = assessed.plan().isPresent() ? "Sign the revised plan (replaces " + revising.id() + ")"
          : "Sign the decision and revoke " + revising.id();
    } else {
      label = decisionNotToTreat ? "Sign the decision not to treat" : "Sign and write back";
    }
    boolean confirm = canSign && revising == null && !access.maySearchChart();
    return new SignView(canSign, label, notYet, canWrite, cannotWrite, assessed.plan().isPresent(),
        signed == null ? List.of() : signed.writtenIds(), signed == null ? null : signed.failure(), uncertain, confirm);
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
