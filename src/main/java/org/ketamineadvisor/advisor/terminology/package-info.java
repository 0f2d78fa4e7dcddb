/**
 * The code lists behind every rule (value sets of SNOMED CT, ICD-10-CM, RxNorm, LOINC) and unit conversion (UCUM).
 */
package org.ketamineadvisor.advisor.terminology;
