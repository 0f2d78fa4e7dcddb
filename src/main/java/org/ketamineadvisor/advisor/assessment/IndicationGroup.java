package org.ketamineadvisor.advisor.assessment;

/** Groups of neuropathic-pain-indications, best first (CLINICAL-RULES § 7.14), with their ASRA 2018 grade. */
public enum IndicationGroup {
  CRPS("crps", "B", "moderate evidence, benefit up to 12 weeks"),
  CENTRAL("central", "C", "weak evidence, short term"),
  PERIPHERAL("peripheral", "D", "weak evidence"),
  OTHER("other", "D", "weak evidence");

  private final String code;
  private final String grade;
  private final String gradeMeaning;

  IndicationGroup(String code, String grade, String gradeMeaning) {
    this.code = code;
    this.grade = grade;
    this.gradeMeaning = gradeMeaning;
  }

  public String code() {
    return code;
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
