/**
 * The course after signing (CLINICAL-RULES § 8, docs/clinical-rules.md): sessions given, the infusion-day check, and
 * the outcome at the 1-, 4- and 12-week follow-ups.
 */
package org.ketamineadvisor.advisor.course;
