/**
 * The one service every door uses to open a patient from a FHIR server, assess it, sign the plan and record the
 * follow-up.
 */
package org.ketamineadvisor.advisor.workspace;
