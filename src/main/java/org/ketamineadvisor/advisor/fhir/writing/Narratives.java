package org.ketamineadvisor.advisor.fhir.writing;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Narrative;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.careplan.InfusionOrder;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlannedActivity;

/** The human-readable text of the written resources (US Core requires it on the CarePlan). */
final class Narratives {
  private Narratives() {}

  static Narrative riskAssessment(Assessment a) {
    StringBuilder div = new StringBuilder();
    div.append("<p><b>Ketamine infusion suitability: ").append(esc(a.verdict().display())).append("</b> (assessed ")
        .append(a.asOf()).append(", rule set v").append(Canonicals.RULE_SET_VERSION).append(")</p>");
    if (!a.reportableFindings().isEmpty()) {
      div.append("<ul>");
      for (Finding f : a.reportableFindings()) {
        div.append("<li>").append(esc(f.rule().id())).append(" ").append(esc(f.outcome().code()));
        if (f.detail() != null && !f.detail().isBlank()) {
          div.append(": ").append(esc(f.detail()));
        }
        div.append("</li>");
      }
      div.append("</ul>");
    }
    div.append("<p>Risks: ").append(esc(Arrays.stream(Risk.values())
        .map(r -> r.code() + " " + a.risks().getOrDefault(r, Risk.Level.LOW).code())
        .collect(Collectors.joining(", ")))).append("</p>");
    return generated(div);
  }

  /**
   * The CarePlan's text, from the plan it is written for: its protocol in words with the number of sessions
   * planned (not the protocol's default), its dates and its order. A plan not signed ({@code signed} false: the
   * download and the command line's bundle, whose CarePlan is a draft) says so, like a needs-information draft.
   */
  static Narrative carePlan(InfusionPlan p, boolean signed) {
    StringBuilder div = new StringBuilder();
    InfusionOrder o = p.order();
    div.append("<p><b>").append(p.draft() || !signed ? "DRAFT (not signed): " : "").append("Ketamine infusion course, ")
        .append(esc(p.protocol().id())).append("</b>: ").append(esc(p.protocol().display(p.sessions()))).append("</p>");
    div.append("<p>").append(p.sessions()).append(" sessions on the clinic's infusion days (")
        .append(esc(o.clinicDays())).append("): ")
        .append(esc(p.sessionDates().stream().map(Object::toString).collect(Collectors.joining(", "))))
        .append(". Weight ").append(p.weightKg().toPlainString()).append(" kg. ")
        .append(esc(p.doseCalculation())).append(".</p>");
    div.append("<p><b>Infusion order</b>: ").append(esc(o.solution())).append(". Each session: ")
        .append(esc(o.perSession())).append(". Course total: ").append(o.courseTotalMg()).append(" mg.</p>");
    div.append("<p><b>Stop or pause the infusion and call the physician when</b>:</p>");
    list(div, o.stopCriteria());
    div.append("<p>Premedication: ").append(esc(o.premedicationInWords())).append(". Rescue drugs: ")
        .append(esc(o.rescueInWords())).append(".</p>");
    div.append("<p><b>Before discharge</b>:</p>");
    list(div, o.discharge());
    div.append("<p><b>Monitoring and safety steps</b>:</p><ul>");
    for (PlannedActivity a : p.activities()) {
      div.append("<li>").append(esc(a.description())).append(" (").append(esc(a.timing().text()));
      if (a.timing().when() == org.ketamineadvisor.advisor.careplan.Timing.When.ON_DATE) {
        div.append(": ").append(esc(a.timing().dates().stream().map(Object::toString)
            .collect(Collectors.joining(", "))));
      }
      div.append(")</li>");
    }
    div.append("</ul>");
    if (!p.cautions().isEmpty()) {
      div.append("<p><b>Cautions</b>:</p>");
      list(div, p.cautions());
    }
    div.append("<p>Source: ").append(esc(p.protocol().source())).append("</p>");
    return generated(div);
  }

  private static void list(StringBuilder div, java.util.List<String> items) {
    div.append("<ul>");
    items.forEach(i -> div.append("<li>").append(esc(i)).append("</li>"));
    div.append("</ul>");
  }

  /** The screen's worklist Group: what it is, for which day, how many. */
  static Narrative candidateGroup(String name, java.time.LocalDate asOf, int members, String verdicts) {
    StringBuilder div = new StringBuilder();
    div.append("<p><b>").append(esc(name)).append("</b></p><p>").append(members).append(members == 1 ? " patient" : " patients")
        .append(" assessed ").append(asOf).append(" as ").append(esc(verdicts)).append(" for an IV ketamine infusion (rule set v")
        .append(Canonicals.RULE_SET_VERSION).append(").</p>");
    return generated(div);
  }

  /** The screen's counts: patients screened and per verdict. */
  static Narrative screeningReport(java.time.LocalDate asOf, long screened, java.util.List<String> countsPerVerdict) {
    StringBuilder div = new StringBuilder();
    div.append("<p><b>Ketamine infusion screening ").append(asOf).append("</b>: ").append(screened)
        .append(" patients screened (rule set v").append(Canonicals.RULE_SET_VERSION).append(").</p>");
    list(div, countsPerVerdict);
    return generated(div);
  }

  private static Narrative generated(StringBuilder body) {
    Narrative n = new Narrative();
    n.setStatus(Narrative.NarrativeStatus.GENERATED);
    n.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + body + "</div>");
    return n;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
