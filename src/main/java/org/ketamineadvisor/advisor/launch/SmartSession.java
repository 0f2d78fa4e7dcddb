package org.ketamineadvisor.advisor.launch;

import jakarta.servlet.http.HttpServletRequest;
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
 * @param patientId the patient in context ({@code patient} of the token response, or the row opened from the
 *     clinic's list); null for a session of the clinic's list (a launch without a patient in context)
 * @param encounterId the encounter in context, null when the EHR sent none
 * @param fhirUser the signed-in user as a FHIR reference, relative to {@code fhirBase} when on it
 *     ({@code Practitioner/12}), else absolute; null when unknown
 * @param styleUrl the EHR's {@code smart_style_url}, null when none
 * @param correlationId the launch's id in the logs; also the id every form of a page carries (a new one per patient)
 * @param clinic the session began without a patient in context, on the clinic's list: its patient pages link back
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
    String correlationId,
    boolean clinic) implements Serializable {

  static final String ATTRIBUTE = SmartSession.class.getName();

  public SmartSession {
    if (registrationId == null || fhirBase == null || granted == null) {
      throw new IllegalArgumentException("a SMART session needs its EHR, FHIR base and granted scopes");
    }
  }

  /** A session launched with a patient in context, as every launch was before the clinic's list. */
  public SmartSession(String registrationId, URI fhirBase, String patientId, String encounterId, URI fhirUser,
      GrantedScopes granted, boolean needPatientBanner, URI styleUrl, String correlationId) {
    this(registrationId, fhirBase, patientId, encounterId, fhirUser, granted, needPatientBanner, styleUrl,
        correlationId, false);
  }

  /** A session for the clinic's list: no patient yet, and only the scopes that reach across patients. */
  static SmartSession forClinic(String registrationId, URI fhirBase, URI fhirUser, GrantedScopes granted, URI styleUrl,
      String correlationId) {
    return new SmartSession(registrationId, fhirBase, null, null, fhirUser, granted.withoutPatientScopes(), false,
        styleUrl, correlationId, true);
  }

  /** Whether this session has a patient to show (else it is on the clinic's list). */
  public boolean hasPatient() {
    return patientId != null;
  }

  /** The launched session stored in this HTTP session, if any. */
  public static Optional<SmartSession> in(HttpSession session) {
    return session == null ? Optional.empty() : Optional.ofNullable((SmartSession) session.getAttribute(ATTRIBUTE));
  }

  /**
   * Opens {@code patient} from the clinic's list in this HTTP session, as a launch of its own: a new correlation id,
   * so a form of a page rendered before (another patient, in another tab) is refused as out of date. The EHR shows
   * no banner for a patient it did not put in context, so the app shows its own.
   */
  public SmartSession openPatientFromClinic(String patient, HttpServletRequest request) {
    if (!clinic) {
      throw new IllegalStateException("only a session launched for the clinic's list opens other patients");
    }
    if (patient == null || !patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("not a FHIR id: a patient is opened by its id, like 'course-go'");
    }
    SmartSession opened = new SmartSession(registrationId, fhirBase, patient, null, fhirUser, granted, true, styleUrl,
        CorrelationIds.startLaunch(request), true);
    opened.storeIn(request.getSession());
    return opened;
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
