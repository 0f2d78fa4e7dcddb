/**
 * The CDS Hooks door: discovery, patient-view and order-select/order-sign cards from the same assessment as the
 * page.
 */
package org.ketamineadvisor.advisor.cds;
