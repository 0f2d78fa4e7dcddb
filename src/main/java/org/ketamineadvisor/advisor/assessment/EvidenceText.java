package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.CodeMatch;
import org.ketamineadvisor.advisor.terminology.Concept;

/** The wording shared by findings' details, so every rule names codes, numbers and dates the same way. */
final class EvidenceText {

  private EvidenceText() {}

  /** "Complex regional pain syndrome (SNOMED 128200000)" or, for a name match, "'Oxycodone 5mg tab'". */
  static String concept(Concept concept, CodeMatch match) {
    if (match == null || match.byName()) {
      return concept.label();
    }
    Code code = match.matchedCode();
    String display = code.display() != null && !code.display().isBlank() ? code.display() : concept.label();
    return display + " (" + systemName(code.system()) + " " + code.code() + ")";
  }

  static String systemName(String system) {
    if (system == null) {
      return "code";
    }
    return switch (system) {
      case "http://snomed.info/sct" -> "SNOMED";
      case "http://hl7.org/fhir/sid/icd-10-cm" -> "ICD-10-CM";
      case "http://www.nlm.nih.gov/research/umls/rxnorm" -> "RxNorm";
      case "http://loinc.org" -> "LOINC";
      default -> system;
    };
  }

  static String number(BigDecimal value) {
    return value == null ? "?" : value.stripTrailingZeros().toPlainString();
  }

  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  /** "2026-06-01 09:10 UTC". */
  static String minute(Instant at) {
    return MINUTE.format(at.atOffset(ZoneOffset.UTC));
  }

  static LocalDate newest(LocalDate a, LocalDate b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
