/**
 * The infusion plan of CLINICAL-RULES § 5 and § 5.1 (docs/clinical-rules.md): protocol, dose, sessions on the
 * clinic's days, and the order a clinician signs.
 */
package org.ketamineadvisor.advisor.careplan;
