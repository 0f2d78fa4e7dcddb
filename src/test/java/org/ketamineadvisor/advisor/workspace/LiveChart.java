package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace.Signing;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The workflow tests' chart: the shared embedded HAPI JPA server, a workspace on it as the pages use it (as of the
 * seeds' date, with every chart permission), the signing clinician, and what the tests read back from the server.
 */
final class LiveChart {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);
  static final ChartAccess FULL = new ChartAccess(true, true);

  private static PatientWorkspace workspace;

  private LiveChart() {}

  static String base() {
    return EmbeddedFhirServer.shared().baseUrl();
  }

  static synchronized PatientWorkspace workspace() {
    if (workspace == null) {
      workspace = PatientWorkspace.forR4(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
          FhirClientSettings.defaults());
    }
    return workspace;
  }

  static OpenedPatient open(String patient) {
    return workspace().open(new PatientWorkspace.Launch(base(), patient, "token", AS_OF, FULL));
  }

  /** Dr Ada Lovelace signing now; {@code revising} the plan she revises, null for a first signing. */
  static Signing signing(ExistingPlan revising) {
    return new Signing("Practitioner/dr-ada", "Dr Ada Lovelace", Instant.now(), "test", "token", FULL, revising, false);
  }

  static IGenericClient client() {
    return FHIR.newRestfulGenericClient(base());
  }

  /** Every resource of {@code type} of the patient (every patient's when null), as the server has them now. */
  static <T extends Resource> List<T> search(Class<T> type, String patient) {
    var query = client().search().forResource(type);
    Bundle found = patient == null ? query.count(500).returnBundle(Bundle.class).execute()
        : query.where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("patient").hasId(patient)).count(500)
            .returnBundle(Bundle.class).execute();
    List<T> out = new ArrayList<>();
    found.getEntry().forEach(e -> out.add(type.cast(e.getResource())));
    return out;
  }
}
