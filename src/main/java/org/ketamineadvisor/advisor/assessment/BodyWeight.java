package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The weight the dose is computed from: the latest convertible body weight within 90 days, in kg. */
public record BodyWeight(BigDecimal kilograms, LocalDate date, String reference) {}
