package org.ketamineadvisor.advisor.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.fhir.mapping.FhirConcepts;
import org.ketamineadvisor.advisor.terminology.Terminology;

/**
 * The {@code draftOrders} of an order hook, read only far enough to ask the terminology whether one of them orders
 * ketamine ({@link Terminology#isKetamine}): a MedicationRequest's drug code, or the code or an ingredient of a
 * Medication it contains or the Bundle carries. Draft orders that cannot be parsed order nothing the service knows.
 */
final class DraftOrders {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private DraftOrders() {}

  static boolean orderKetamine(JsonNode draftOrders, Terminology terminology) {
    if (draftOrders == null || draftOrders.isMissingNode() || draftOrders.isNull()) {
      return false;
    }
    Bundle bundle;
    try {
      bundle = FHIR.newJsonParser().parseResource(Bundle.class, draftOrders.toString());
    } catch (RuntimeException e) {
      return false;
    }
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (e.getResource() instanceof MedicationRequest mr) {
        if (mr.hasMedicationCodeableConcept()
            && terminology.isKetamine(FhirConcepts.concept(mr.getMedicationCodeableConcept()), List.of())) {
          return true;
        }
        for (Resource contained : mr.getContained()) {
          if (contained instanceof Medication m && isKetamine(m, terminology)) {
            return true;
          }
        }
      } else if (e.getResource() instanceof Medication m && isKetamine(m, terminology)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKetamine(Medication m, Terminology terminology) {
    return terminology.isKetamine(FhirConcepts.concept(m.getCode()), m.getIngredient().stream()
        .filter(Medication.MedicationIngredientComponent::hasItemCodeableConcept)
        .map(i -> FhirConcepts.concept(i.getItemCodeableConcept())).toList());
  }
}
