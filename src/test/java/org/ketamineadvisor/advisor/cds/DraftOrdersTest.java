package org.ketamineadvisor.advisor.cds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** Which draft orders are ketamine orders: the terminology decides, on every name the order gives. */
class DraftOrdersTest {

  private static final ValueSetTerminology TERMINOLOGY = ValueSetTerminology.loadDefault();

  private static JsonNode orders(String medicationCodeableConcept) throws Exception {
    return new ObjectMapper().readTree("""
        {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"MedicationRequest",
         "status":"draft","intent":"order","subject":{"reference":"Patient/p"},
         "medicationCodeableConcept":%s}}]}""".formatted(medicationCodeableConcept));
  }

  @Test
  void anRxNormKetamineCodeIsAKetamineOrder() throws Exception {
    assertThat(DraftOrders.orderKetamine(orders(
        "{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"6130\"}]}"), TERMINOLOGY))
        .isTrue();
  }

  @Test
  void aCodingThatOnlyNamesKetamineStillCountsBesideOtherText() throws Exception {
    assertThat(DraftOrders.orderKetamine(orders(
        "{\"coding\":[{\"display\":\"ketamine 50 mg/mL injection\"}],\"text\":\"analgesic infusion\"}"), TERMINOLOGY))
        .isTrue();
  }

  @Test
  void anotherDrugIsNot() throws Exception {
    assertThat(DraftOrders.orderKetamine(orders(
        "{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"7052\","
            + "\"display\":\"morphine\"}],\"text\":\"morphine\"}"), TERMINOLOGY)).isFalse();
  }

  @Test
  void unreadableOrdersOrderNothing() throws Exception {
    assertThat(DraftOrders.orderKetamine(new ObjectMapper().readTree("{\"resourceType\":\"Nope\"}"), TERMINOLOGY))
        .isFalse();
  }
}
