package org.ketamineadvisor.advisor.terminology;

/** One coding: a code in a code system, with the display text the record gave it (may be null). */
public record Code(String system, String code, String display) {
  public Code {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("a coding needs a code");
    }
  }
}
