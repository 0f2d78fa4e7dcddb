package org.ketamineadvisor.advisor.fhir.mapping;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.Patient;

/**
 * What a patient banner and every printed page show: the name, birth date and an identifier (the first the record
 * gives, e.g. the MRN; each may be null when not recorded), and the FHIR id, which is always there.
 */
public record PatientBanner(String name, LocalDate birthDate, Identifier identifier, String id) {

  public PatientBanner(String name, LocalDate birthDate) {
    this(name, birthDate, null, null);
  }

  /**
   * The first identifier the record gives: its type's text (e.g. "MRN"; may be null), its value and its system's
   * URI (may be null). Printed whole ("MRN KA-1234 (https://hospital.example/mrn)"); a banner on screen leaves the
   * system out.
   */
  public record Identifier(String type, String value, String system) {

    /** "MRN KA-1234": the type's text (when given) and the value. */
    public String withoutSystem() {
      return type == null ? value : type + " " + value;
    }

    /** As printed: {@link #withoutSystem()} and the system in parentheses, when recorded. */
    @Override
    public String toString() {
      return withoutSystem() + (system == null ? "" : " (" + system + ")");
    }
  }

  /** The identifier as a one-line banner on screen shows it ("KA-1234"); null when none is recorded. */
  public String identifierWithoutSystem() {
    return identifier == null ? null : identifier.withoutSystem();
  }

  /** From the Patient already read with the record, so the banner costs no request of its own. */
  public static PatientBanner of(Patient patient) {
    if (patient == null) {
      return new PatientBanner(null, null, null, null);
    }
    Identifier identifier = patient.getIdentifier().stream().filter(i -> i.hasValue()).findFirst()
        .map(i -> new Identifier(i.getType().hasText() ? i.getType().getText() : null, i.getValue(),
            i.hasSystem() ? i.getSystem() : null)).orElse(null);
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
