/**
 * SMART App Launch: EHR registration, discovery, the OAuth2 authorization-code flow with PKCE, and the launched
 * session.
 */
package org.ketamineadvisor.advisor.launch;
