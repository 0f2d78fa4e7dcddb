/**
 * The rules of CLINICAL-RULES §§ 1–4 and § 7 (docs/clinical-rules.md): the patient's record in the app's own types,
 * read into a verdict with its findings and risks.
 */
package org.ketamineadvisor.advisor.assessment;
