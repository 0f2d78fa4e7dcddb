package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;

/**
 * One piece of pregnancy evidence (CLINICAL-RULES § 2.2, § 7.11): an active pregnancy condition, a
 * pregnancy-status observation or an hCG test, positive or negative, dated (null for an undated
 * active condition, which is never superseded).
 */
record PregnancyEvidence(String reference, LocalDate date, boolean positive, String description) {}
