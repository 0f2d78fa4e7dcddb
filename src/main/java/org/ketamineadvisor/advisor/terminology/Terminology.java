package org.ketamineadvisor.advisor.terminology;

import java.util.Collection;
import java.util.Optional;

/** Value-set membership, as CLINICAL-RULES § 1.2 defines it. */
public interface Terminology {

  /**
   * The first coding of {@code concept} in the value set, ICD-10-CM with or without the dot; for
   * medication value sets, when no coding matches, a whole-word ingredient name in the text or a
   * display (reported with {@code byName}).
   */
  Optional<CodeMatch> match(ValueSetId valueSet, Concept concept);

  /** Convenience: the group of the match, if the concept is in the value set. */
  default Optional<String> group(ValueSetId valueSet, Concept concept) {
    return match(valueSet, concept).map(CodeMatch::group);
  }

  default boolean contains(ValueSetId valueSet, Concept concept) {
    return match(valueSet, concept).isPresent();
  }

  /**
   * Whether an order is for ketamine: the drug it names, or one ingredient of that product, is in the ketamine
   * value set (by code, or by ingredient name in the text). CDS Hooks shows its card only for such an order.
   *
   * @param drug the ordered drug's code (the order's own, or the code of the product it names)
   * @param ingredients the codes of the product's ingredients; empty when the order names the drug only by code
   */
  default boolean isKetamine(Concept drug, Collection<Concept> ingredients) {
    return contains(ValueSetId.KETAMINE, drug)
        || ingredients.stream().anyMatch(ingredient -> contains(ValueSetId.KETAMINE, ingredient));
  }
}
