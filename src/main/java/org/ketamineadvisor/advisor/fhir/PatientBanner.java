package org.ketamineadvisor.advisor.fhir;

import java.time.LocalDate;

/** What a patient banner shows: the name and birth date as the EHR records them (either may be null). */
public record PatientBanner(String name, LocalDate birthDate) {}
