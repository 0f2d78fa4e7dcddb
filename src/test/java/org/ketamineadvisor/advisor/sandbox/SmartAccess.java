package org.ketamineadvisor.advisor.sandbox;

import java.util.Objects;

/**
 * What a verified access token lets its bearer do on the FHIR server.
 *
 * @param patient the patient compartment the token is limited to, or null when it has no patient context
 * @param fhirUser the user the token was issued to, relative to the FHIR base (e.g. {@code Practitioner/dr-ada}), or null
 * @param systemRead the token has {@code system/*.rs}: it reads anything, as EHR staff looking in the chart do
 *     ({@link SandboxEhr#readToken}); tests use it to check what an app wrote
 */
record SmartAccess(SmartScopes scopes, String patient, String fhirUser, boolean systemRead) {

  /** The servlet request attribute {@link BearerTokenFilter} leaves it under for {@link SmartScopeInterceptor}. */
  static final String REQUEST_ATTRIBUTE = SmartAccess.class.getName();

  SmartAccess {
    Objects.requireNonNull(scopes, "scopes");
  }
}
