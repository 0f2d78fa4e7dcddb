package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;

/**
 * The Patient resource as the rules need it. {@code birthDate} may be null (IND-ADULT unknown);
 * {@code deceasedDate} is set when the record gives deceasedDateTime.
 */
public record PatientFacts(String id, LocalDate birthDate, AdministrativeSex sex,
    boolean deceasedFlag, LocalDate deceasedDate) {

  public PatientFacts {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a patient needs an id");
    }
    sex = sex == null ? AdministrativeSex.UNKNOWN : sex;
  }

  /** Patient.gender. */
  public enum AdministrativeSex { MALE, FEMALE, OTHER, UNKNOWN }
}
