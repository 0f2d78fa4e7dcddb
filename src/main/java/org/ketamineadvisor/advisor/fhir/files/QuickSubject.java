package org.ketamineadvisor.advisor.fhir.files;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whose an NDJSON line is, found by searching its bytes, without a JSON parser: for the screen's second pass, where
 * nearly every line belongs to a patient who is not a candidate and is dropped, so the answer to "whose?" is all
 * that line costs. Answers only for compact lines of the types whose only {@code subject} is the top-level one
 * (Condition, Observation, MedicationRequest, MedicationStatement: none has a nested element of that name), when
 * the line contains no {@code contained} resource, exactly one {@code "subject"} and a reference without escapes;
 * any other line gets null and is read by the parser as before.
 */
final class QuickSubject {

  private static final String START = "{\"resourceType\":\"";
  private static final String SUBJECT = "\"subject\"";
  private static final String REFERENCE = ":{\"reference\":\"";
  private static final String CONTAINED = "\"contained\"";
  private static final List<String> TYPES = List.of("Condition\"", "Observation\"", "MedicationRequest\"",
      "MedicationStatement\"");

  private QuickSubject() {}

  /** The patient id of the line's top-level subject, or null when the bytes alone cannot say for sure. */
  static String patientId(byte[] line, int offset, int length) {
    // one byte per char, copied, not decoded: the JDK's String search is far faster than a byte loop, and every
    // searched word is ASCII, which UTF-8 never uses inside a multi-byte character
    String text = new String(line, offset, length, StandardCharsets.ISO_8859_1);
    if (!text.startsWith(START) || TYPES.stream().noneMatch(type -> text.startsWith(type, START.length()))) {
      return null;
    }
    int subject = text.indexOf(SUBJECT);
    if (subject < 0 || !text.startsWith(REFERENCE, subject + SUBJECT.length())
        || text.indexOf(SUBJECT, subject + SUBJECT.length()) >= 0 || text.contains(CONTAINED)) {
      return null;
    }
    int from = subject + SUBJECT.length() + REFERENCE.length();
    int to = text.indexOf('"', from);
    if (to < 0 || text.indexOf('\\', from) >= 0 && text.indexOf('\\', from) < to) {
      return null;
    }
    return FhirFileScanner.patientIdIn(new String(line, offset + from, to - from, StandardCharsets.UTF_8));
  }

}
