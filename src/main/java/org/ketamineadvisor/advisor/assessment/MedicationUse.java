package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import org.ketamineadvisor.advisor.terminology.CodeMatch;

/**
 * A medication record that is current or past at the as-of date (CLINICAL-RULES § 1.1, § 7.7), with
 * the drug-class match. {@code intended} marks a statement of a drug not yet taken.
 */
record MedicationUse(MedicationRecord record, CodeMatch match, boolean current, boolean intended) {

  String reference() {
    return record.reference();
  }

  LocalDate date() {
    return record.start() != null ? record.start() : record.end();
  }

  /** "Oxycodone 5 MG Oral Tablet (RxNorm 1049621), active since 2026-01-01" or a name match. */
  String describe() {
    StringBuilder text = new StringBuilder();
    if (match.byName()) {
      text.append(match.group() != null ? match.group() : match.matchedCode().display())
          .append(" matched by name in '").append(record.medication().label()).append("'");
    } else {
      text.append(EvidenceText.concept(record.medication(), match));
    }
    text.append(", ").append(record.status() == null ? "no status" : record.status());
    if (record.start() != null) {
      text.append(" since ").append(record.start());
    }
    if (record.end() != null) {
      text.append(current ? ", ends " : ", ended ").append(record.end());
    }
    return text.toString();
  }
}
