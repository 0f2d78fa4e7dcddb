/**
 * Reading exported FHIR from files: Bundles and NDJSON streamed and spooled per patient, with every unreadable line
 * named.
 */
package org.ketamineadvisor.advisor.fhir.files;
