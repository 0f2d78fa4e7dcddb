package org.ketamineadvisor.advisor.assessment;

/** A rule's outcome. */
public enum Outcome {
  MET("met"), NOT_MET("not-met"), UNKNOWN("unknown");

  private final String code;

  Outcome(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Outcome fromCode(String code) {
    for (Outcome o : values()) {
      if (o.code.equals(code)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown outcome '" + code + "' (met, not-met or unknown)");
  }
}
