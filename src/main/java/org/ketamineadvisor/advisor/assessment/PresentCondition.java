package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import org.ketamineadvisor.advisor.terminology.CodeMatch;

/**
 * A condition that counts at the as-of date (CLINICAL-RULES § 1.1), with the value-set match that
 * put it in a rule's list and whether it is active (else historical).
 */
record PresentCondition(ConditionRecord record, CodeMatch match, boolean active) {

  String reference() {
    return record.reference();
  }

  /** Onset, else recorded date; null when the record has neither. */
  LocalDate date() {
    return record.date();
  }

  String group() {
    return match.group();
  }

  /** "Complex regional pain syndrome (SNOMED 128200000), onset 2025-01-10; unconfirmed". */
  String describe() {
    StringBuilder text = new StringBuilder(EvidenceText.concept(record.code(), match));
    if (record.onset() != null) {
      text.append(", onset ").append(record.onset());
    } else if (record.recordedDate() != null) {
      text.append(", recorded ").append(record.recordedDate());
    } else {
      text.append(", undated");
    }
    if (!active) {
      text.append("; historical");
    }
    if (record.verificationStatus().unconfirmed()) {
      text.append("; unconfirmed");
    }
    return text.toString();
  }
}
