/**
 * The command-line door: assess files or a FHIR server, the infusion-day check, and profile validation, as JSON
 * lines.
 */
package org.ketamineadvisor.advisor.cli;
