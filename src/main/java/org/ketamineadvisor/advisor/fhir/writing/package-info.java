/**
 * The app's records to the FHIR resources it writes (RiskAssessment, CarePlan, Goal, Observations, Provenance) in
 * one transaction Bundle, checked against its profiles.
 */
package org.ketamineadvisor.advisor.fhir.writing;
