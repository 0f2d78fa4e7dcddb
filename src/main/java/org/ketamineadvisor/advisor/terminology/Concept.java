package org.ketamineadvisor.advisor.terminology;

import java.util.List;

/** A coded concept as a record carries it: any number of codings plus free text (may be null). */
public record Concept(List<Code> codings, String text) {
  public static final Concept EMPTY = new Concept(List.of(), null);

  public Concept {
    codings = codings == null ? List.of() : List.copyOf(codings);
  }

  public static Concept of(Code... codings) {
    return new Concept(List.of(codings), null);
  }

  /** The text a person would recognise: the text, else the first display, else the first code. */
  public String label() {
    if (text != null && !text.isBlank()) {
      return text;
    }
    for (Code c : codings) {
      if (c.display() != null && !c.display().isBlank()) {
        return c.display();
      }
    }
    return codings.isEmpty() ? "(no code)" : codings.get(0).code();
  }
}
