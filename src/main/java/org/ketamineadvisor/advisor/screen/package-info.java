/**
 * Population screening over an export: a streaming pass finds who could be anything but not indicated, only they
 * are assessed by the same engine as the page, and the worklist, counts and summary are written.
 */
package org.ketamineadvisor.advisor.screen;
