/**
 * The clinician's pages (the assessment, signing and revising, the course and follow-up, printouts and downloads),
 * by feature.
 */
package org.ketamineadvisor.advisor.web;
