package org.ketamineadvisor.advisor.fhir.chart;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The latest RiskAssessment this app wrote for the patient and a clinician signed (it has a performer): what the
 * page shows first on a later launch. {@code findings} are the met or unknown rules as "RULE-ID=outcome";
 * {@code notes} the attestations and entered values it rested on, in words; {@code written} when the server stored
 * it (the signing time).
 */
public record SignedAssessment(String id, String verdict, String verdictDisplay, LocalDate asOf, String signer,
    Instant written, List<String> findings, List<String> notes) {

  public SignedAssessment {
    if (id == null || verdict == null) {
      throw new IllegalArgumentException("a signed assessment needs its id and verdict");
    }
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }
}
