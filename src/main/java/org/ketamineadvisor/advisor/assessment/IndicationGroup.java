package org.ketamineadvisor.advisor.assessment;

/** Groups of neuropathic-pain-indications, best first (CLINICAL-RULES § 7.14), with their ASRA 2018 grade. */
public enum IndicationGroup {
  CRPS("crps", "Complex regional pain syndrome", "B", "moderate evidence, benefit up to 12 weeks"),
  CENTRAL("central", "Central neuropathic pain (spinal cord injury)", "C", "weak evidence, short term"),
  PERIPHERAL("peripheral", "Peripheral neuropathic pain", "D", "weak evidence"),
  OTHER("other", "Other neuropathic pain", "D", "weak evidence");

  private final String code;
  private final String display;
  private final String grade;
  private final String gradeMeaning;

  IndicationGroup(String code, String display, String grade, String gradeMeaning) {
    this.code = code;
    this.display = display;
    this.grade = grade;
    this.gradeMeaning = gradeMeaning;
  }

  public String code() {
    return code;
  }

  /** The group in a clinician's words, e.g. "Complex regional pain syndrome". */
  public String display() {
    return display;
  }

  public String evidenceGrade() {
    return grade;
  }

  public String gradeMeaning() {
    return gradeMeaning;
  }

  public static IndicationGroup fromCode(String code) {
    for (IndicationGroup g : values()) {
      if (g.code.equals(code)) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown indication group '" + code + "'");
  }
}
