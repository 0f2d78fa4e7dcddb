/**
 * What this app wrote to the chart, read back: its plans, goals, signed assessments and the ketamine administrations
 * given.
 */
package org.ketamineadvisor.advisor.fhir.chart;
