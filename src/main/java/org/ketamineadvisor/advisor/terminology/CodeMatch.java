package org.ketamineadvisor.advisor.terminology;

/**
 * Why a concept belongs to a value set: the code (or, for a name match, the ingredient name) that
 * matched, and the value set's group for it (an evidence grade, an ingredient, an observation kind).
 */
public record CodeMatch(ValueSetId valueSet, Code matchedCode, String group, boolean byName) {

  /** Words for a finding's detail: "SNOMED 128200000 Complex regional pain syndrome" or "matched by name". */
  public String describe() {
    if (byName) {
      return "'" + matchedCode.display() + "' matched by name";
    }
    String display = matchedCode.display() == null ? "" : " " + matchedCode.display();
    return matchedCode.code() + display;
  }
}
