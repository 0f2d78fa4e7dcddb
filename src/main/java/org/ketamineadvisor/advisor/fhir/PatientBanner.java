package org.ketamineadvisor.advisor.fhir;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.Patient;

/** What a patient banner shows: the name and birth date (either may be null when not recorded). */
public record PatientBanner(String name, LocalDate birthDate) {

  /** From the Patient already read with the record, so the banner costs no request of its own. */
  static PatientBanner of(Patient patient) {
    if (patient == null) {
      return new PatientBanner(null, null);
    }
    String name = patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : null;
    LocalDate born;
    try {
      WrittenTime written = WrittenTime.of(patient.getBirthDateElement());
      born = written == null ? null : written.date();
    } catch (java.time.DateTimeException e) {
      born = null; // the mapping reports the invalid date; the banner just leaves it out
    }
    return new PatientBanner(name == null || name.isBlank() ? null : name, born);
  }
}
