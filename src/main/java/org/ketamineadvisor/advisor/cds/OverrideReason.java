package org.ketamineadvisor.advisor.cds;

import java.util.Arrays;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;

/**
 * Why a prescriber went ahead with a ketamine order the card called contraindicated: the choices a contraindicated
 * card offers (CDS Hooks {@code overrideReasons}) and the codes its feedback is counted by. Published as the
 * CodeSystem {@code ketamine-cds-override} in {@code fhir-profiles/}.
 */
public enum OverrideReason {
  BENEFIT_OUTWEIGHS_RISK("benefit-outweighs-risk", "Benefit outweighs the risk (documented by the prescriber)",
      "The prescriber judged that the benefit of the course outweighs the contraindication, and documented why."),
  RECORD_INCORRECT("record-incorrect", "The record is incorrect or out of date",
      "The finding that contraindicates the course is wrong or no longer true; the record should be corrected."),
  SPECIALIST_SUPERVISED("specialist-supervised", "Given under specialist supervision with additional monitoring",
      "The course is given under the supervision of a specialist with monitoring beyond the protocol's.");

  /** The CodeSystem's canonical URL. */
  public static final String SYSTEM = Canonicals.BASE + "/CodeSystem/ketamine-cds-override";

  private final String code;
  private final String display;
  private final String definition;

  OverrideReason(String code, String display, String definition) {
    this.code = code;
    this.display = display;
    this.definition = definition;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public String definition() {
    return definition;
  }

  /** The reason of {@code system} and {@code code}; empty for any other (an EHR's own codes, a typo). */
  public static Optional<OverrideReason> of(String system, String code) {
    return SYSTEM.equals(system) ? Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst()
        : Optional.empty();
  }
}
