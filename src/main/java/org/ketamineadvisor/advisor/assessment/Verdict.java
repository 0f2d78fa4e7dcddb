package org.ketamineadvisor.advisor.assessment;

/** The verdicts of CLINICAL-RULES § 3, in precedence order. */
public enum Verdict {
  CONTRAINDICATED("contraindicated", "Not suitable: contraindicated"),
  NOT_INDICATED("not-indicated", "Not indicated"),
  NEEDS_INFORMATION("needs-information", "Needs information"),
  SUITABLE_WITH_PRECAUTIONS("suitable-with-precautions", "Suitable with precautions"),
  SUITABLE("suitable", "Suitable");

  private final String code;
  private final String display;

  Verdict(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  /** Whether a protocol is proposed for this verdict (§ 5); needs-information only as a draft. */
  public boolean allowsProtocol() {
    return this == SUITABLE || this == SUITABLE_WITH_PRECAUTIONS || this == NEEDS_INFORMATION;
  }
}
