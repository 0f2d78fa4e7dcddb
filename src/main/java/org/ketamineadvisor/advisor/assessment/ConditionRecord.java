package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import org.ketamineadvisor.advisor.terminology.Concept;

/**
 * A Condition, normalised: statuses as enums, dates as calendar dates in the record's own offset.
 * {@code clinicalStatus} is null when the record has none; {@code abated} is true when the record
 * has an abatement of any kind, {@code abatementDate} when that abatement has a date.
 */
public record ConditionRecord(
    String reference,
    Concept code,
    ClinicalStatus clinicalStatus,
    VerificationStatus verificationStatus,
    LocalDate onset,
    LocalDate recordedDate,
    boolean abated,
    LocalDate abatementDate) {

  public ConditionRecord {
    requireReference(reference);
    code = code == null ? Concept.EMPTY : code;
    verificationStatus = verificationStatus == null ? VerificationStatus.ABSENT : verificationStatus;
  }

  static void requireReference(String reference) {
    // "Condition/123", or "urn:uuid:…" for a value a clinician entered that is not in the chart yet
    if (reference == null || !(reference.contains("/") || reference.startsWith("urn:uuid:"))) {
      throw new IllegalArgumentException("a record needs a reference like Condition/123, got " + reference);
    }
  }

  /** Onset, else recorded date (CLINICAL-RULES § 7.4); null when the record has neither. */
  public LocalDate date() {
    return onset != null ? onset : recordedDate;
  }

  public enum ClinicalStatus {
    ACTIVE, RECURRENCE, RELAPSE, INACTIVE, REMISSION, RESOLVED;

    public boolean isActive() {
      return this == ACTIVE || this == RECURRENCE || this == RELAPSE;
    }
  }

  public enum VerificationStatus {
    CONFIRMED, UNCONFIRMED, PROVISIONAL, DIFFERENTIAL, REFUTED, ENTERED_IN_ERROR, ABSENT;

    public boolean ignored() {
      return this == REFUTED || this == ENTERED_IN_ERROR;
    }

    public boolean unconfirmed() {
      return this == UNCONFIRMED || this == PROVISIONAL || this == DIFFERENTIAL;
    }
  }
}
