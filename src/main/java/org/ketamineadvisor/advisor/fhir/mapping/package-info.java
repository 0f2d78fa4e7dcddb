/**
 * FHIR resources to the app's records (conditions, medications, observations, allergies, units); reads no server and
 * writes nothing.
 */
package org.ketamineadvisor.advisor.fhir.mapping;
