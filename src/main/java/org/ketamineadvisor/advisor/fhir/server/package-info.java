/**
 * Talking to a FHIR server over HTTP: pooled connections, retries, the capability check, the patient read and the
 * transaction write.
 */
package org.ketamineadvisor.advisor.fhir.server;
