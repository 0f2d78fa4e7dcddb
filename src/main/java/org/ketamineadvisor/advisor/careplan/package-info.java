/**
 * The infusion plan of § 6: protocol, dose, sessions on the clinic's days, and the order a clinician signs.
 */
package org.ketamineadvisor.advisor.careplan;
