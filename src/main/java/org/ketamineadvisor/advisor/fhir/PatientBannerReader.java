package org.ketamineadvisor.advisor.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.Patient;

/** Reads the launched patient's name and birth date for the banner, with the session's access token. */
public class PatientBannerReader {

  private static final int TIMEOUT_MS = 10_000;

  private final FhirContext fhir;

  public PatientBannerReader() {
    this.fhir = FhirContext.forR4Cached();
    IRestfulClientFactory clients = fhir.getRestfulClientFactory();
    // the app needs only reads it has scopes for; fetching /metadata first would cost a round trip per page
    clients.setServerValidationMode(ServerValidationModeEnum.NEVER);
    clients.setConnectTimeout(TIMEOUT_MS);
    clients.setSocketTimeout(TIMEOUT_MS);
  }

  /** Throws HAPI's client exceptions when the EHR cannot be read; the caller says so on the page. */
  public PatientBanner read(URI fhirBase, String patientId, String accessToken) {
    IGenericClient client = fhir.newRestfulGenericClient(fhirBase.toString());
    client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
    Patient patient = client.read().resource(Patient.class).withId(patientId).execute();
    String name = patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : null;
    return new PatientBanner(name == null || name.isBlank() ? null : name,
        patient.hasBirthDate() ? patient.getBirthDate().toInstant().atZone(ZoneId.of("UTC")).toLocalDate() : null);
  }
}
