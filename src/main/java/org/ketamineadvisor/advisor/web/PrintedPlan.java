package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.careplan.InfusionOrder;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;

/**
 * The plan a printout renders, and in which state. Once a plan is signed it is the plan in force as the chart holds
 * it (the CarePlan read back: its sessions, dose, course total, order and steps), never the page's proposal, which
 * may be the protocol's defaults again after a relaunch; a revision being prepared is not on the sheet until it is
 * signed. Only when nothing is signed is the proposal printed, as the draft. {@code signed} false for the draft;
 * {@code reference} the CarePlan ("CarePlan/12", null for the draft); {@code courseTotalMg} null when the plan does
 * not say; {@code order} the order's lines: a label (may be null) and its items.
 */
record PrintedPlan(boolean signed, String heading, String reference, String status, String signedBy,
    Integer sessions, String dose, Integer courseTotalMg, LocalDate firstSession, LocalDate lastSession,
    List<String> sessionDays, List<String> followUps, List<Line> order, List<Step> steps, String note) {

  /** One line of the order: "Stop or pause the infusion and call the physician when" and its criteria. */
  record Line(String label, List<String> items) {}

  /** One monitoring or follow-up step: what and when. */
  record Step(String what, String when) {}

  /**
   * What the printout shows for {@code page}: the plan in force (signed or revising), the proposal as the draft
   * when nothing is signed, or null when there is no plan (the page's reason is printed instead).
   */
  static PrintedPlan of(PatientPage page) {
    SignedView signed = page.signed();
    if (signed != null && signed.plan() != null) {
      String note = page.state() == PatientPage.State.REVISING ? "A revision of this plan is being prepared and is "
          + "NOT signed: it is not on this sheet. This is the plan in force until the revision is signed." : null;
      return signed(signed.plan(), signed.signer(), signed.signedAt(), note);
    }
    if (signed != null || page.plan() == null) {
      return null; // a signed decision without a plan, or nothing to propose
    }
    return draft(page.plan());
  }

  static PrintedPlan signed(ExistingPlan plan, String signer, String signedAt, String note) {
    ExistingPlan.Dosing dosing = plan.dosing();
    List<LocalDate> dates = plan.sessions();
    String dose = dosing == null ? null : dosing.doseMg() + " mg over " + DecisionSummary.duration(dosing.minutes())
        + (dosing.weightKg() == null ? "" : " (dosing weight " + dosing.weightKg().toPlainString() + " kg)");
    List<Line> order = new ArrayList<>();
    // the plan's description is the whole order as signed; the session series' own words only stand in for it
    if (plan.description() != null) {
      order.addAll(orderLines(plan.description()));
    } else if (plan.order() != null) {
      order.add(new Line("Session series", List.of(plan.order())));
    }
    List<Step> steps = new ArrayList<>();
    for (ExistingPlan.Step s : plan.steps()) {
      // dates listed when they are few and not simply every session (those are in the sessions line)
      boolean listDates = !s.dates().isEmpty() && !s.dates().equals(dates) && s.dates().size() <= 3;
      String when = s.when() == null ? "" : s.when();
      if (listDates) {
        when += (when.isEmpty() ? "" : ": ") + String.join(", ", PlanDates.days(s.dates()));
      }
      steps.add(new Step(s.description(), when));
    }
    String by = (signer == null ? "" : "signed by " + signer) + (signedAt == null ? "" : " on " + signedAt);
    // a CarePlan of this app's that is a draft in the chart (e.g. the unsigned download, filed by the EHR's staff)
    // is not printed as signed
    boolean signed = !"draft".equals(plan.status());
    String heading = !signed ? "Plan in the chart — status draft, NOT SIGNED"
        : "on-hold".equals(plan.status()) ? "Plan in force — signed, ON HOLD" : "Plan in force — signed";
    return new PrintedPlan(signed, heading, plan.id(), plan.status(), by.isEmpty() ? null : by,
        dates.isEmpty() ? null : dates.size(), dose, plan.courseTotalMg(), dates.isEmpty() ? null : dates.get(0),
        dates.isEmpty() ? null : dates.get(dates.size() - 1), PlanDates.days(dates), PlanDates.days(plan.followUps()),
        order, steps, note);
  }

  static PrintedPlan draft(PatientPage.PlanView plan) {
    PatientPage.OrderView o = plan.order();
    List<Line> order = List.of(
        new Line("Protocol", List.of(plan.protocol() + " (" + plan.source() + ")")),
        new Line("Dose calculation", List.of(plan.doseCalculation())),
        new Line(InfusionOrder.SOLUTION, List.of(o.solution())),
        new Line(InfusionOrder.EACH_SESSION, List.of(o.doseMg() + " mg in " + o.volumeMl() + " mL over " + o.duration()
            + " at " + o.rateMgPerHour() + " mg/h = " + o.rateMlPerHour() + " mL/h")),
        new Line(InfusionOrder.COURSE_TOTAL, List.of(o.courseTotalMg() + " mg over " + plan.sessions() + " sessions")),
        new Line(InfusionOrder.STOP_WHEN, o.stop()),
        new Line(InfusionOrder.PREMEDICATION, List.of(o.premedication())),
        new Line(InfusionOrder.RESCUE, List.of(o.rescue())),
        new Line(InfusionOrder.DISCHARGE, o.discharge()));
    List<Step> steps = plan.activities().stream().map(a -> new Step(a.description(), a.when())).toList();
    List<LocalDate> dates = plan.sessionDates();
    String note = "NOT SIGNED — this is the proposal on the page, for review; it is not an order."
        + (plan.draft() ? " It cannot be signed until every unknown is resolved or attested." : "")
        + (plan.cautions().isEmpty() ? "" : " Cautions: " + String.join(" ", plan.cautions()));
    return new PrintedPlan(false, "Proposed course — NOT SIGNED (draft)", null, "draft", null, plan.sessions(),
        o.doseMg() + " mg over " + o.duration(), o.courseTotalMg(), dates.get(0), dates.get(dates.size() - 1),
        plan.sessionDays(), plan.followUps(), order, steps, note);
  }

  /**
   * The order as signed, from the plan's description: the parts {@link InfusionOrder#inWords()} labels are split only
   * where their labels start, because their items are free text (a site's "midazolam 1 mg i.v. if agitated" has full
   * stops of its own); what comes before the first label (the app's protocol and dose sentences) by sentences. A text
   * without the labels (written by another version) is read by sentences throughout.
   */
  static List<Line> orderLines(String description) {
    String text = description.strip();
    List<Integer> starts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int from = 0;
    for (String label : InfusionOrder.LABELS) {
      int start = from;
      if (!text.startsWith(label + ": ", from)) {
        int sentenceEnd = text.indexOf(". " + label + ": ", from);
        if (sentenceEnd < 0) {
          continue;
        }
        start = sentenceEnd + 2;
      }
      starts.add(start);
      labels.add(label);
      from = start + label.length() + 2;
    }
    List<Line> lines = new ArrayList<>();
    String lead = starts.isEmpty() ? text : text.substring(0, starts.get(0));
    sentences(lead).forEach(sentence -> lines.add(line(sentence)));
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
      String part = text.substring(starts.get(i) + labels.get(i).length() + 2, end).strip();
      part = part.endsWith(".") ? part.substring(0, part.length() - 1) : part;
      lines.add(new Line(labels.get(i), line(labels.get(i) + ": " + part).items()));
    }
    return lines;
  }

  /** The plan's description in sentences (". " ends one; a decimal point is not followed by a space). */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.strip().split("\\.\\s+")) {
      String sentence = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
      if (!sentence.isBlank()) {
        out.add(sentence.strip());
      }
    }
    return out;
  }

  /**
   * "Label: a; b; c" as the label and its items; a sentence without a label is one item. A "; " inside
   * parentheses does not split.
   */
  static Line line(String sentence) {
    int colon = sentence.indexOf(": ");
    if (colon < 0) {
      return new Line(null, List.of(sentence));
    }
    String rest = sentence.substring(colon + 2);
    List<String> items = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (c == ';' && depth == 0 && i + 1 < rest.length() && rest.charAt(i + 1) == ' ') {
        items.add(rest.substring(from, i).strip());
        from = i + 2;
      }
    }
    items.add(rest.substring(from).strip());
    return new Line(sentence.substring(0, colon), items);
  }
}
