package org.ketamineadvisor.advisor.screen;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * Codes as a file writes them (read with Jackson tokens, before any FHIR model), asked of the very terminology the
 * engine uses. HAPI may read a code or system with surrounding spaces differently from how it is written, so the
 * trimmed forms are asked too: a spare resource costs a parse, a missed one a wrong answer.
 */
public final class WrittenCodes {

  private WrittenCodes() {}

  /** Whether any of the codings is in the value set; no codings, no. */
  static boolean inValueSet(Terminology terminology, ValueSetId valueSet, List<Code> codings) {
    return !codings.isEmpty() && terminology.contains(valueSet, concept(codings));
  }

  /**
   * The Observations the rules read: a code in {@code observation-codes} or {@code hcg-tests} (the only value sets
   * the engine sorts Observations by; both match by code alone). Any other Observation is mapped and then never
   * looked at, so the screen does not parse it.
   */
  public static Predicate<List<Code>> observationsTheRulesRead(Terminology terminology) {
    return codings -> inValueSet(terminology, ValueSetId.OBSERVATION_CODES, codings)
        || inValueSet(terminology, ValueSetId.HCG_TESTS, codings);
  }

  private static Concept concept(List<Code> codings) {
    List<Code> asked = new ArrayList<>(codings.size() * 2);
    for (Code coding : codings) {
      String system = coding.system() == null || coding.system().isBlank() ? null : coding.system();
      asked.add(new Code(system, coding.code(), null));
      if (system != null && (!system.equals(system.trim()) || !coding.code().equals(coding.code().trim()))) {
        asked.add(new Code(system.trim(), coding.code().trim(), null));
      }
    }
    return new Concept(asked, null);
  }
}
