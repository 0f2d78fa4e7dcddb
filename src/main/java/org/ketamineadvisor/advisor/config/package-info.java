/**
 * The wiring every door shares: the beans of the code lists, units, site settings, FHIR connections, the one clock
 * and moment of assessment, and the workspace, with the settings they are built from.
 */
package org.ketamineadvisor.advisor.config;
