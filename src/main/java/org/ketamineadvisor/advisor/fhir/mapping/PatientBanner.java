package org.ketamineadvisor.advisor.fhir.mapping;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.Patient;

/**
 * What a patient banner and every printed page show: the name, birth date and an identifier (the first the record
 * gives, e.g. the MRN; each may be null when not recorded), and the FHIR id, which is always there.
 */
public record PatientBanner(String name, LocalDate birthDate, String identifier, String id) {

  public PatientBanner(String name, LocalDate birthDate) {
    this(name, birthDate, null, null);
  }

  /**
   * The identifier as a one-line banner on screen shows it, without the system's URI in parentheses ("KA-1234" of
   * "KA-1234 (https://hospital.example/mrn)"); null when none is recorded.
   */
  public String identifierWithoutSystem() {
    if (identifier == null || !identifier.endsWith(")") || identifier.lastIndexOf(" (") <= 0) {
      return identifier;
    }
    return identifier.substring(0, identifier.lastIndexOf(" ("));
  }

  /** From the Patient already read with the record, so the banner costs no request of its own. */
  public static PatientBanner of(Patient patient) {
    if (patient == null) {
      return new PatientBanner(null, null, null, null);
    }
    String identifier = patient.getIdentifier().stream().filter(i -> i.hasValue()).findFirst()
        .map(i -> (i.getType().hasText() ? i.getType().getText() + " " : i.hasSystem() ? "" : "") + i.getValue()
            + (i.hasSystem() ? " (" + i.getSystem() + ")" : "")).orElse(null);
    String id = patient.getIdElement().hasIdPart() ? "Patient/" + patient.getIdElement().getIdPart() : null;
    String name = patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : null;
    LocalDate born;
    try {
      WrittenTime written = WrittenTime.of(patient.getBirthDateElement());
      born = written == null ? null : written.date();
    } catch (java.time.DateTimeException e) {
      born = null; // the mapping reports the invalid date; the banner just leaves it out
    }
    return new PatientBanner(name == null || name.isBlank() ? null : name, born, identifier, id);
  }
}
