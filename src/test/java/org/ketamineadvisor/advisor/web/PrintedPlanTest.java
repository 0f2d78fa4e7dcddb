package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;

/** What a printout renders, from the chart's plan once signed (issue #19), without a browser. */
class PrintedPlanTest {

  private static final List<LocalDate> SESSIONS = List.of(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3),
      LocalDate.of(2026, 6, 4), LocalDate.of(2026, 6, 5), LocalDate.of(2026, 6, 8), LocalDate.of(2026, 6, 9),
      LocalDate.of(2026, 6, 10), LocalDate.of(2026, 6, 11));
  private static final List<LocalDate> FOLLOW_UPS = List.of(LocalDate.of(2026, 6, 18), LocalDate.of(2026, 7, 9),
      LocalDate.of(2026, 9, 3));
  private static final String DESCRIPTION = "CRPS protocol: 0.35 mg/kg/h (at most 25 mg/h) over 4 h, 8 sessions (one a "
      + "day on clinic days; the protocol gives 10). 0.35 mg/kg/h × 72.0 kg = 25.2 mg/h, rounded to 25 mg/h; 25 mg/h × "
      + "4 h = 100 mg over 240 min. Solution: 1 mg/mL ketamine in 0.9 % sodium chloride. Each session: 100 mg in 100.0 "
      + "mL over 240 min at 25 mg/h = 25.0 mL/h. Course total: 800 mg over 8 sessions. Stop or pause the infusion and "
      + "call the physician when: SpO2 below 92 %; Heart rate above 120 /min. Premedication: none configured by the "
      + "site. Before discharge: An adult escort home; No driving for 24 hours.";

  static ExistingPlan signedPlan() {
    return new ExistingPlan("CarePlan/12", "2", "active", "Ketamine infusion course (P-CRPS)", DESCRIPTION,
        LocalDate.of(2026, 6, 1), SESSIONS.get(0), FOLLOW_UPS.get(2), "Dr Ada Lovelace", Instant.parse(
            "2026-06-01T10:00:00Z"), SESSIONS, FOLLOW_UPS, new ExistingPlan.Dosing(100, 240, new BigDecimal("72.0")),
        "Goal/3", "100 mg in 100.0 mL over 240 min, 8 sessions, course total 800 mg", List.of(
            new ExistingPlan.Step("Blood pressure before the infusion", "Before each session", SESSIONS),
            new ExistingPlan.Step("Pain score follow-up", "1, 4 and 12 weeks after the last session", FOLLOW_UPS)));
  }

  @Test
  void aSignedPlanPrintsWhatTheChartHolds() {
    PrintedPlan printed = PrintedPlan.signed(signedPlan(), "Dr Ada Lovelace", "2026-06-01 10:00 UTC", null);
    assertThat(printed.signed()).isTrue();
    assertThat(printed.heading()).isEqualTo("Plan in force — signed");
    assertThat(printed.reference()).isEqualTo("CarePlan/12");
    assertThat(printed.sessions()).isEqualTo(8);
    assertThat(printed.dose()).isEqualTo("100 mg over 4 h (dosing weight 72.0 kg)");
    assertThat(printed.courseTotalMg()).isEqualTo(800);
    assertThat(printed.firstSession()).isEqualTo(LocalDate.of(2026, 6, 2));
    assertThat(printed.lastSession()).isEqualTo(LocalDate.of(2026, 6, 11));
    assertThat(printed.sessionDays()).hasSize(8).startsWith("Tue 2026-06-02").endsWith("Thu 2026-06-11");
    // the order as signed, sentence by sentence; a "; " inside parentheses does not split
    assertThat(printed.order()).contains(
        new PrintedPlan.Line("CRPS protocol", List.of("0.35 mg/kg/h (at most 25 mg/h) over 4 h, 8 sessions (one a day "
            + "on clinic days; the protocol gives 10)")),
        new PrintedPlan.Line(null, List.of("0.35 mg/kg/h × 72.0 kg = 25.2 mg/h, rounded to 25 mg/h; 25 mg/h × 4 h = "
            + "100 mg over 240 min")),
        new PrintedPlan.Line("Solution", List.of("1 mg/mL ketamine in 0.9 % sodium chloride")),
        new PrintedPlan.Line("Course total", List.of("800 mg over 8 sessions")),
        new PrintedPlan.Line("Stop or pause the infusion and call the physician when",
            List.of("SpO2 below 92 %", "Heart rate above 120 /min")),
        new PrintedPlan.Line("Before discharge", List.of("An adult escort home", "No driving for 24 hours")));
    // a step on every session names no dates (the sessions line does); the follow-ups name theirs
    assertThat(printed.steps()).containsExactly(
        new PrintedPlan.Step("Blood pressure before the infusion", "Before each session"),
        new PrintedPlan.Step("Pain score follow-up", "1, 4 and 12 weeks after the last session: Thu 2026-06-18, "
            + "Thu 2026-07-09, Thu 2026-09-03"));
  }

  @Test
  void aDraftCarePlanInTheChartIsNotPrintedAsSigned() {
    ExistingPlan signed = signedPlan();
    ExistingPlan filedDraft = new ExistingPlan(signed.id(), signed.version(), "draft", signed.title(),
        signed.description(), signed.created(), signed.start(), signed.end(), null, signed.written(),
        signed.sessions(), signed.followUps(), signed.dosing(), signed.goal(), signed.order(), signed.steps());
    PrintedPlan printed = PrintedPlan.signed(filedDraft, null, null, null);
    assertThat(printed.signed()).isFalse();
    assertThat(printed.heading()).contains("NOT SIGNED");
  }

  @Test
  void whileRevisingThePrintoutIsThePlanInForceAndSaysTheRevisionIsNotSigned() {
    SignedView signed = new SignedView("RiskAssessment/7", "Suitable", LocalDate.of(2026, 6, 1),
        "Dr Ada Lovelace", "2026-06-01 10:00 UTC", List.of(), signedPlan(), List.of(), false);
    PrintedPlan revising = PrintedPlan.of(page(PatientPage.State.REVISING, signed));
    assertThat(revising.signed()).isTrue();
    assertThat(revising.reference()).isEqualTo("CarePlan/12");
    assertThat(revising.sessions()).as("the chart's 8, not the proposal's 10").isEqualTo(8);
    assertThat(revising.courseTotalMg()).isEqualTo(800);
    assertThat(revising.lastSession()).isEqualTo(LocalDate.of(2026, 6, 11));
    assertThat(revising.order()).noneMatch(l -> String.join(" ", l.items()).contains("1000 mg"));
    assertThat(revising.note()).contains("NOT signed").contains("plan in force");

    PrintedPlan inForce = PrintedPlan.of(page(PatientPage.State.SIGNED, signed));
    assertThat(inForce.courseTotalMg()).isEqualTo(800);
    assertThat(inForce.note()).isNull();

    SignedView decisionOnly = new SignedView("RiskAssessment/8", "Not indicated",
        LocalDate.of(2026, 6, 1), "Dr Ada Lovelace", null, List.of(), null, List.of(), false);
    assertThat(PrintedPlan.of(page(PatientPage.State.SIGNED, decisionOnly))).as("no plan in force: none printed")
        .isNull();
    assertThat(PrintedPlan.of(page(PatientPage.State.DRAFT, null, null))).as("nothing proposed, nothing signed")
        .isNull();

    // only with nothing signed is the page's proposal printed, and then as the draft
    PrintedPlan draft = PrintedPlan.of(page(PatientPage.State.DRAFT, null));
    assertThat(draft.signed()).isFalse();
    assertThat(draft.heading()).isEqualTo("Proposed course — NOT SIGNED (draft)");
    assertThat(draft.reference()).isNull();
    assertThat(draft.sessions()).isEqualTo(10);
    assertThat(draft.courseTotalMg()).isEqualTo(1000);
    assertThat(draft.lastSession()).isEqualTo(LocalDate.of(2026, 6, 15));
    assertThat(draft.note()).startsWith("NOT SIGNED");
  }

  /**
   * A page in {@code state} with {@code signed} from the chart and the page's own proposal: the protocol's default
   * 10 sessions, 1000 mg, as a new launch proposes again after an 8-session revision was signed.
   */
  private static PatientPage page(PatientPage.State state, SignedView signed) {
    return page(state, signed, proposal());
  }

  private static PatientPage page(PatientPage.State state, SignedView signed, PatientPage.PlanView plan) {
    return new PatientPage(LocalDate.of(2026, 6, 1), state, null, null, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), plan, null, List.of(), null, signed, null,
        null, List.of());
  }

  private static PatientPage.PlanView proposal() {
    List<LocalDate> dates = new java.util.ArrayList<>(SESSIONS);
    dates.addAll(List.of(LocalDate.of(2026, 6, 12), LocalDate.of(2026, 6, 15)));
    PatientPage.OrderView order = new PatientPage.OrderView("1 mg/mL ketamine in 0.9 % sodium chloride", 100, "100.0",
        "25", "25.0", "4 h", 1000, List.of("SpO2 below 92 %"), "none configured by the site",
        "none configured by the site", List.of("No driving for 24 hours"));
    return new PatientPage.PlanView("P-CRPS", "CRPS protocol: 0.35 mg/kg/h (at most 25 mg/h) over 4 h, 10 sessions (one "
        + "a day on clinic days)", "CRPS protocol", "Schwartzman 2009", "25 mg/h × 4 h = 100 mg", 10, 100, 240, dates,
        PlanDates.days(dates), List.of(new PatientPage.ActivityView("Vitals before the infusion", "Before each session",
            null, null)), false, order, PlanDates.days(FOLLOW_UPS), List.of());
  }

  @Test
  void aSitesDrugNamesWithFullStopsPrintWholeUnderTheirLabel() {
    // as InfusionOrder.inWords() writes it: a drug name ending in a full stop, then the sentence's own
    String description = "CRPS protocol: 0.35 mg/kg/h (at most 25 mg/h) over 4 h, 8 sessions. Solution: 1 mg/mL "
        + "ketamine in 0.9 % sodium chloride. Premedication: midazolam 1 mg i.v. if agitated; ondansetron 4 mg i.v.. "
        + "Rescue drugs: naloxone 0.4 mg i.v. as needed. Before discharge: An adult escort home; No driving for 24 "
        + "hours.";
    assertThat(PrintedPlan.orderLines(description)).containsExactly(
        new PrintedPlan.Line("CRPS protocol", List.of("0.35 mg/kg/h (at most 25 mg/h) over 4 h, 8 sessions")),
        new PrintedPlan.Line("Solution", List.of("1 mg/mL ketamine in 0.9 % sodium chloride")),
        new PrintedPlan.Line("Premedication", List.of("midazolam 1 mg i.v. if agitated", "ondansetron 4 mg i.v.")),
        new PrintedPlan.Line("Rescue drugs", List.of("naloxone 0.4 mg i.v. as needed")),
        new PrintedPlan.Line("Before discharge", List.of("An adult escort home", "No driving for 24 hours")));
  }
}
