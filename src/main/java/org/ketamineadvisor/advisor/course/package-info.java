/**
 * The course after signing (§§ 7–8): sessions given, the infusion-day check, and the outcome at the 1-, 4- and
 * 12-week follow-ups.
 */
package org.ketamineadvisor.advisor.course;
