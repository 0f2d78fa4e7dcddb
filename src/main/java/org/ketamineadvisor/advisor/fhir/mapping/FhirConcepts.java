package org.ketamineadvisor.advisor.fhir.mapping;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;

/** HAPI CodeableConcept and Quantity → the app's Concept and Quantity, keeping everything written. */
public final class FhirConcepts {

  private FhirConcepts() {}

  /** Every coding that has a code, plus the text; Concept.EMPTY for null or empty input. */
  public static Concept concept(CodeableConcept cc) {
    if (cc == null || cc.isEmpty()) {
      return Concept.EMPTY;
    }
    List<Code> codes = new ArrayList<>(cc.getCoding().size());
    String text = blankToNull(cc.getText());
    for (Coding c : cc.getCoding()) {
      String code = blankToNull(c.getCode());
      if (code != null) {
        codes.add(new Code(blankToNull(c.getSystem()), code, blankToNull(c.getDisplay())));
      } else if (text == null) {
        // A coding with only a display still names the thing; keep it for name matching.
        text = blankToNull(c.getDisplay());
      }
    }
    return new Concept(codes, text);
  }

  /** Adds the codings of {@code extra} to {@code base} (text from base, else from extra). */
  static Concept merge(Concept base, Concept extra) {
    if (extra.codings().isEmpty() && (base.text() != null || extra.text() == null)) {
      return base;
    }
    List<Code> codes = new ArrayList<>(base.codings());
    for (Code c : extra.codings()) {
      if (!codes.contains(c)) {
        codes.add(c);
      }
    }
    return new Concept(codes, base.text() != null ? base.text() : extra.text());
  }

  /** The first coding's code, for statuses kept as strings; null when none. */
  static String firstCode(CodeableConcept cc) {
    if (cc == null) {
      return null;
    }
    for (Coding c : cc.getCoding()) {
      String code = blankToNull(c.getCode());
      if (code != null) {
        return code.trim();
      }
    }
    return null;
  }

  /** Null when the quantity is absent or has no number (a unit alone says nothing). */
  static Quantity quantity(org.hl7.fhir.r4.model.Quantity q) {
    if (q == null || !q.hasValue()) {
      return null;
    }
    return new Quantity(q.getValue(), blankToNull(q.getUnit()), blankToNull(q.getSystem()),
        blankToNull(q.getCode()));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
