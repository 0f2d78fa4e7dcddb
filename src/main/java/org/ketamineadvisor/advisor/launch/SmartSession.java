package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.net.URI;
import java.util.Optional;

/**
 * The launch context kept on the server for one launched session (never sent to the browser). The tokens
 * themselves stay in Spring's authorized-client store.
 *
 * @param registrationId which allow-listed EHR the session belongs to
 * @param fhirBase the FHIR base URL ({@code iss}) to read from and write to
 * @param patientId the patient in context ({@code patient} of the token response)
 * @param encounterId the encounter in context, null when the EHR sent none
 * @param fhirUser the signed-in user as a FHIR reference, relative to {@code fhirBase} when on it
 *     ({@code Practitioner/12}), else absolute; null when unknown
 * @param styleUrl the EHR's {@code smart_style_url}, null when none
 */
public record SmartSession(
    String registrationId,
    URI fhirBase,
    String patientId,
    String encounterId,
    URI fhirUser,
    GrantedScopes granted,
    boolean needPatientBanner,
    URI styleUrl,
    String correlationId) implements Serializable {

  static final String ATTRIBUTE = SmartSession.class.getName();

  public SmartSession {
    if (registrationId == null || fhirBase == null || granted == null) {
      throw new IllegalArgumentException("a SMART session needs its EHR, FHIR base and granted scopes");
    }
  }

  /** The launched session stored in this HTTP session, if any. */
  public static Optional<SmartSession> in(HttpSession session) {
    return session == null ? Optional.empty() : Optional.ofNullable((SmartSession) session.getAttribute(ATTRIBUTE));
  }

  void storeIn(HttpSession session) {
    session.setAttribute(ATTRIBUTE, this);
  }

  /** Safe to log: ids, tokens and patient data left out. */
  @Override
  public String toString() {
    return "SmartSession[ehr=" + registrationId + ", host=" + fhirBase.getHost() + ", correlationId=" + correlationId + "]";
  }
}
