package org.ketamineadvisor.advisor.terminology;

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
}
