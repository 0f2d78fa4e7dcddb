package org.ketamineadvisor.advisor.cds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The discovery document ({@code GET /cds-services}): the order hooks, and patient-view when enabled, each with the
 * prefetch templates of the record the rules read ({@link PrefetchedRecord#TYPES}), within the specification's
 * recommended queries (no {@code _include}: a referenced Medication is read afterwards, {@link ReferencedMedications}).
 */
final class CdsDiscovery {

  static final String ORDER_SELECT = "ketamine-order-select";
  static final String ORDER_SIGN = "ketamine-order-sign";
  static final String PATIENT_VIEW = "ketamine-patient-view";

  private CdsDiscovery() {}

  /** Whether {@code id} is a service this instance offers. */
  static boolean offers(String id, boolean patientView) {
    return ORDER_SELECT.equals(id) || ORDER_SIGN.equals(id) || PATIENT_VIEW.equals(id) && patientView;
  }

  static ObjectNode document(boolean patientView, ValueSetTerminology terminology) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode services = body.putArray("services");
    service(services, "order-select", ORDER_SELECT, "Ketamine infusion suitability (order select)",
        "When a ketamine order is drafted: whether a course of IV ketamine for neuropathic pain is suitable for the "
            + "patient, with contraindications, interactions and missing data.", terminology);
    service(services, "order-sign", ORDER_SIGN, "Ketamine infusion suitability (order sign)",
        "Before a ketamine order is signed: the same check as at order select.", terminology);
    if (patientView) {
      service(services, "patient-view", PATIENT_VIEW, "Candidate for a ketamine infusion course",
          "A card only for a patient with an active neuropathic pain indication and no contraindication.",
          terminology);
    }
    return body;
  }

  private static void service(ArrayNode services, String hook, String id, String title, String description,
      ValueSetTerminology terminology) {
    ObjectNode s = services.addObject().put("hook", hook).put("id", id).put("title", title)
        .put("description", description);
    ObjectNode prefetch = s.putObject("prefetch");
    prefetch.put("patient", "Patient/{{context.patientId}}");
    prefetch.put("conditions", "Condition?patient={{context.patientId}}");
    // the specification's recommended prefetch subset has no _include: a referenced Medication is read afterwards
    // from fhirServer with fhirAuthorization (ReferencedMedications), or the medication rules stay unknown
    prefetch.put("medicationRequests", "MedicationRequest?patient={{context.patientId}}");
    prefetch.put("medicationStatements", "MedicationStatement?patient={{context.patientId}}");
    TreeSet<String> codes = new TreeSet<>(terminology.codes(ValueSetId.OBSERVATION_CODES, "http://loinc.org"));
    codes.addAll(terminology.codes(ValueSetId.HCG_TESTS, "http://loinc.org"));
    prefetch.put("observations", "Observation?patient={{context.patientId}}&code="
        + String.join(",", codes.stream().map(c -> "http://loinc.org|" + c).toList()));
    prefetch.put("allergies", "AllergyIntolerance?patient={{context.patientId}}");
  }
}
