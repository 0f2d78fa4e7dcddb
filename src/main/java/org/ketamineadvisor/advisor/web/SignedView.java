package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.RuleId.Category;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.chart.SignedAssessment;

/**
 * The signed assessment in the chart: its verdict, who signed and when, the attestations and entered values it
 * rested on, the plan in force (null when none), and what the record says differently today.
 */
record SignedView(String assessmentId, String verdictWords, LocalDate asOf, String signer, String signedAt,
    List<String> notes, ExistingPlan plan, List<String> changes, boolean verdictDiffers) {

  /** The signed plan's session dates with their weekdays (empty for plans written before they were listed). */
  public List<String> sessionDays() {
    return plan == null ? List.of() : PlanDates.days(plan.sessions());
  }

  /** What the chart holds as signed, compared with today's assessment; null when nothing is signed. */
  static SignedView of(ChartState chart, Assessment today) {
    SignedAssessment signed = chart.signed();
    ExistingPlan plan = chart.currentPlan().orElse(null);
    if (signed == null && plan == null) {
      return null;
    }
    if (signed == null) {
      return new SignedView(null, null, null, plan.author(), plan.written() == null ? null
          : PatientPage.WHEN.format(plan.written().atOffset(ZoneOffset.UTC)), List.of(), plan, List.of(), false);
    }
    Set<String> before = new LinkedHashSet<>(signed.findings());
    Set<String> now = new LinkedHashSet<>();
    today.reportableFindings().forEach(f -> now.add(f.rule().id() + "=" + f.outcome().code()));
    List<String> changes = new ArrayList<>();
    for (String f : now) {
      if (!before.contains(f)) {
        changes.add("New since signing: " + findingWords(f));
      }
    }
    for (String f : before) {
      if (!now.contains(f)) {
        changes.add("No longer: " + findingWords(f));
      }
    }
    boolean differs = !signed.verdict().equals(today.verdict().code());
    String words = PatientPage.VERDICTS.entrySet().stream().filter(e -> e.getKey().code().equals(signed.verdict()))
        .map(e -> e.getValue().words()).findFirst().orElse(signed.verdictDisplay());
    return new SignedView(signed.id(), words, signed.asOf(), signed.signer(),
        signed.written() == null ? null : PatientPage.WHEN.format(signed.written().atOffset(ZoneOffset.UTC)),
        signed.notes(), plan, changes, differs);
  }

  /** "Uncontrolled hypertension (latest BP > 180/100 mmHg) — present" from "CI-UNCONTROLLED-HTN=met". */
  private static String findingWords(String ruleEqualsOutcome) {
    String[] parts = ruleEqualsOutcome.split("=", 2);
    RuleId rule = java.util.Arrays.stream(RuleId.values()).filter(r -> r.id().equals(parts[0])).findFirst()
        .orElse(null);
    String title = rule == null ? parts[0] : rule.title();
    String outcome = parts.length < 2 ? "" : switch (parts[1]) {
      // an indication is a criterion, met or not; a finding is present
      case "met" -> rule != null && rule.category() == Category.INDICATION ? "met" : "present";
      case "unknown" -> "unknown";
      default -> parts[1];
    };
    return title + " — " + outcome;
  }
}
