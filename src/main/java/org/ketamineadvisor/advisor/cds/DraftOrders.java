package org.ketamineadvisor.advisor.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.fhir.mapping.FhirConcepts;
import org.ketamineadvisor.advisor.terminology.Concept;
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
            && terminology.isKetamine(FhirConcepts.concept(mr.getMedicationCodeableConcept()),
                namesWithoutCode(mr.getMedicationCodeableConcept()))) {
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
    List<Concept> ingredients = new ArrayList<>(namesWithoutCode(m.getCode()));
    for (Medication.MedicationIngredientComponent i : m.getIngredient()) {
      if (i.hasItemCodeableConcept()) {
        ingredients.add(FhirConcepts.concept(i.getItemCodeableConcept()));
        ingredients.addAll(namesWithoutCode(i.getItemCodeableConcept()));
      }
    }
    return terminology.isKetamine(FhirConcepts.concept(m.getCode()), ingredients);
  }

  /**
   * The displays of codings without a code, each as a name of its own: the record's mapping keeps only one name per
   * concept, but an order that names ketamine in any coding must still get the card (missing it means no card).
   */
  private static List<Concept> namesWithoutCode(CodeableConcept cc) {
    return cc.getCoding().stream().filter(c -> !c.hasCode() && c.hasDisplay())
        .map(c -> new Concept(List.of(), c.getDisplay())).toList();
  }
}
