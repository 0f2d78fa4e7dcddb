/**
 * FHIR Bulk Data Access 2.0 client: SMART Backend Services token, kick-off, polling that honours Retry-After,
 * downloads that resume, the job deleted at the end.
 */
package org.ketamineadvisor.advisor.fhir.bulk;
