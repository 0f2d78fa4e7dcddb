package org.ketamineadvisor.advisor.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.RuleId.Category;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;

/**
 * What the top of the page says, so that a physician decides in ten seconds: the one to three findings that
 * decide the verdict, a high respiratory-depression or cardiovascular risk named apart from ordinary precautions,
 * and the proposed course in one line. Also the checklist of every rule screened, so that "none found" means
 * something: each rule found, not found, or not checked and why.
 */
final class DecisionSummary {

  static final int MAX_REASONS = 3;
  /** Codes in parentheses ("(SNOMED 128200000)") stay in the evidence below; the headline reads words. */
  private static final Pattern CODES = Pattern.compile("\\s*\\((?:SNOMED|ICD-10-CM|ICD-10|RxNorm|LOINC)\\b[^)]*\\)");

  private DecisionSummary() {}

  /** The deciding findings in the clinician's words, at most {@link #MAX_REASONS}, and how many more there are. */
  record Reasons(List<String> shown, int more) {}

  static Reasons reasons(Assessment a) {
    List<String> all = new ArrayList<>();
    switch (a.verdict()) {
      case NEEDS_INFORMATION -> a.decidingFindings().forEach(f -> all.add("Missing: " + reason(f)));
      case CONTRAINDICATED, SUITABLE_WITH_PRECAUTIONS -> a.decidingFindings().forEach(f -> all.add(reason(f)));
      // an indication not met names what is not so ("Not an adult"), never the criterion as if it held
      case NOT_INDICATED -> a.decidingFindings().forEach(f -> all.add(notMet(f)));
      case SUITABLE -> {
        Finding indication = a.finding(RuleId.IND_NEUROPATHIC);
        if (a.indicationGroup() != null && indication != null) {
          // the grade is on the line below the reasons; the headline names the condition and its date
          all.add("Indication: " + words(indication.detail()).map(d -> d.replaceFirst(" — evidence grade .*$", ""))
              .orElse(a.indicationGroup().display()));
        }
        Finding prior = a.finding(RuleId.IND_PRIOR_THERAPY);
        if (prior != null) {
          all.add(prior.attestation() != null ? "First-line agent tried: stated by the clinician"
              : "First-line agent tried" + words(prior.detail()).map(d -> ": " + d).orElse(""));
        }
        long screened = a.findings().stream().filter(f -> f.rule().category() == Category.CONTRAINDICATION
            || f.rule().category() == Category.PRECAUTION || f.rule().category() == Category.INTERACTION).count();
        // a rule that could not be checked (no heart rate for tachycardia) is said, never hidden in "none"
        List<CheckRow> notChecked = notChecked(checklist(a));
        all.add("No contraindication, precaution or interaction among the " + screened + " screened"
            + (notChecked.isEmpty() ? "" : " (" + couldNotBeChecked(notChecked) + ")"));
      }
      default -> { }
    }
    int shown = Math.min(MAX_REASONS, all.size());
    return new Reasons(List.copyOf(all.subList(0, shown)), all.size() - shown);
  }

  /**
   * "High risk of respiratory depression: current opioid and current benzodiazepine" for each of the two risks the
   * banner names apart (§ 4), when high.
   */
  static List<String> riskAlerts(Assessment a) {
    List<String> alerts = new ArrayList<>();
    if (a.risks().get(Risk.RESPIRATORY_DEPRESSION) == Risk.Level.HIGH) {
      alerts.add("High risk of respiratory depression: " + metTitles(a, RuleId.INT_OPIOID, RuleId.INT_BENZODIAZEPINE)
          + " — sedation adds up; the plan monitors SpO2 continuously and adds capnography");
    }
    if (a.risks().get(Risk.CARDIOVASCULAR) == Risk.Level.HIGH) {
      alerts.add("High cardiovascular risk: " + metTitles(a, RuleId.CI_UNCONTROLLED_HTN, RuleId.CI_CARDIOVASCULAR)
          + " — ketamine raises blood pressure and heart rate");
    }
    return alerts;
  }

  /** "CRPS protocol — 100 mg over 4 h at 25 mg/h (25.0 mL/h), 10 sessions, Tue 2026-06-02 to Mon 2026-06-15". */
  static String course(InfusionPlan plan) {
    return plan.protocol().title() + " — " + plan.order().doseMg() + " mg over " + duration(plan.minutesPerSession())
        + " at " + plan.order().pumpRate() + ", " + plan.sessions() + (plan.sessions() == 1 ? " session, " : " sessions, ")
        + PlanDates.day(plan.firstSession()) + (plan.sessions() == 1 ? "" : " to " + PlanDates.day(plan.lastSession()));
  }

  static String duration(int minutes) {
    return minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
  }

  /** One row of the checklist. {@code status} is found, not-found, not-checked, present or missing. */
  record CheckRow(String ruleId, String title, String status, String statusWords, String detail, String dated) {}

  record CheckGroup(String heading, List<CheckRow> rows) {}

  /**
   * Every contraindication, precaution and interaction screened and every piece of data the decision needs, each
   * with what the record said. A rule that only reads a measurement (uncontrolled BP, tachycardia) is "not checked"
   * when there was no reading, never "not found".
   */
  static List<CheckGroup> checklist(Assessment a) {
    List<CheckGroup> groups = new ArrayList<>();
    groups.add(group(a, "Contraindications", Category.CONTRAINDICATION));
    groups.add(group(a, "Precautions", Category.PRECAUTION));
    groups.add(group(a, "Interactions", Category.INTERACTION));
    groups.add(group(a, "Data the decision needs", Category.DATA));
    return groups;
  }

  private static CheckGroup group(Assessment a, String heading, Category category) {
    List<CheckRow> rows = new ArrayList<>();
    for (Finding f : a.findings()) {
      if (f.rule().category() != category) {
        continue;
      }
      String status;
      String words;
      if (category == Category.DATA) {
        boolean present = f.outcome() != Outcome.UNKNOWN;
        status = present ? "present" : "missing";
        words = present ? (f.attestation() != null ? "Settled by the clinician" : "Present") : "Missing";
      } else if (f.outcome() == Outcome.MET) {
        status = "found";
        words = "Found";
      } else if (f.outcome() == Outcome.UNKNOWN || readingOnly(f)) {
        status = "not-checked";
        words = "Could not be checked";
      } else {
        status = "not-found";
        words = "Not found";
      }
      String dated = f.evidenceDate() == null ? null : f.evidenceDate().toString();
      rows.add(new CheckRow(f.rule().id(), f.rule().title(), status, words, f.detail(), dated));
    }
    return new CheckGroup(heading, rows);
  }

  /** A rule that reads only a measurement, not met because there was none to read. */
  private static boolean readingOnly(Finding f) {
    return (f.rule() == RuleId.CI_UNCONTROLLED_HTN || f.rule() == RuleId.PR_TACHYCARDIA)
        && f.outcome() == Outcome.NOT_MET && f.evidence().isEmpty() && f.detail() != null
        && f.detail().startsWith("no ");
  }

  /**
   * "uncontrolled hypertension (latest BP > 180/100 mmHg)" from the title that starts a sentence: only the first
   * letter, and only when it starts an ordinary word (never "MI/stroke", "CNS", "ALT"): BP and mmHg keep their case.
   */
  static String lowerFirst(String text) {
    if (text == null || text.isEmpty() || !Character.isUpperCase(text.charAt(0))
        || text.length() > 1 && !Character.isLowerCase(text.charAt(1))) {
      return text;
    }
    return Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  /** The rows of the checklist (contraindications, precautions, interactions) that could not be checked. */
  static List<CheckRow> notChecked(List<CheckGroup> checklist) {
    return checklist.stream().flatMap(g -> g.rows().stream()).filter(r -> "not-checked".equals(r.status())).toList();
  }

  /**
   * "1 could not be checked: uncontrolled hypertension (latest BP > 180/100 mmHg) — no blood pressure within 30
   * days", so that "none found" never stands alone on data that was missing.
   */
  static String couldNotBeChecked(List<CheckRow> rows) {
    List<String> each = rows.stream().map(r -> lowerFirst(r.title()) + (r.detail() == null || r.detail().isBlank()
        ? "" : " — " + r.detail())).toList();
    return rows.size() + " could not be checked: " + String.join("; ", each);
  }

  /**
   * What the page says when a group found nothing: "None found among the contraindications screened." or, when some
   * could not be checked, "None found; 1 could not be checked: …".
   */
  static String noneFound(List<CheckGroup> checklist, String what, String... headings) {
    List<CheckGroup> groups = checklist.stream().filter(g -> List.of(headings).contains(g.heading())).toList();
    List<CheckRow> notChecked = notChecked(groups);
    return notChecked.isEmpty() ? "None found among the " + what + " screened."
        : "None found; " + couldNotBeChecked(notChecked) + ".";
  }

  /**
   * An indication that is not met, in the words of what is the case: "Not an adult — age 16 (18 or older
   * required)", "Patient is deceased — date of death 2026-02-14"; an indication rule is a criterion, and its title
   * beside the evidence against it ("Adult (18 years or older) — age 16") reads as if it held.
   */
  static String notMet(Finding f) {
    if (f.rule().category() != Category.INDICATION || f.outcome() != Outcome.NOT_MET) {
      return reason(f);
    }
    String detail = f.detail() == null ? "" : f.detail();
    return switch (f.rule()) {
      case IND_ADULT -> {
        java.util.regex.Matcher m = ADULT.matcher(detail);
        yield m.matches() ? "Not an adult — age " + m.group(1) + " (" + m.group(4) + " or older required), born "
            + m.group(3) : f.rule().notMetTitle() + words(detail).map(d -> " — " + d).orElse("");
      }
      // the date of death is the finding's own date (IndicationRules), not read back out of its words; a clinician's
      // statement carries none of its own
      case IND_LIVING -> f.attestation() == null && f.evidenceDate() != null
          ? "Patient is deceased — date of death " + f.evidenceDate()
          : "Patient is deceased — the record says so, without a date";
      case IND_NEUROPATHIC -> "No neuropathic pain indication — " + words(detail).orElse("none in the record");
      default -> f.rule().notMetTitle() + words(detail).map(d -> " — " + d).orElse("");
    };
  }

  /** IndicationRules' detail of an age under the adult age: "age 16 on 2026-06-01 (born 2010-01-20); under 18". */
  private static final Pattern ADULT = Pattern.compile("age (\\d+) on (\\S+) \\(born (\\S+)\\); under (\\d+)");

  private static String reason(Finding f) {
    return f.rule().title() + words(f.detail()).map(d -> " — " + d).orElse("");
  }

  private static java.util.Optional<String> words(String detail) {
    if (detail == null || detail.isBlank()) {
      return java.util.Optional.empty();
    }
    String text = CODES.matcher(detail).replaceAll("");
    return java.util.Optional.of(text.length() > 160 ? text.substring(0, 157) + "…" : text);
  }

  private static String metTitles(Assessment a, RuleId... rules) {
    List<String> titles = new ArrayList<>();
    for (RuleId rule : rules) {
      if (a.outcome(rule) == Outcome.MET) {
        titles.add(lowerFirst(rule.title()));
      }
    }
    return String.join(" and ", titles);
  }
}
