package org.ketamineadvisor.advisor.fhir.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.terminology.Code;

/**
 * The few top-level fields of a resource's JSON that decide which patient it belongs to, read with
 * Jackson's streaming parser so that routing a resource costs a fraction of parsing it with HAPI.
 * {@code codings} are the top-level {@code code.coding[]} (non-blank codes, as written), read only when
 * {@link Need#REFERENCE_AND_CODE} asks for them (the screening census); otherwise empty.
 */
record ResourceHeader(String resourceType, String id, String subjectReference, String patientReference,
    List<Code> codings) {

  ResourceHeader(String resourceType, String id, String subjectReference, String patientReference) {
    this(resourceType, id, subjectReference, patientReference, List.of());
  }

  /** Which resource's reference points at its patient: AllergyIntolerance.patient, the others' subject. */
  String patientPointer() {
    return subjectReference != null ? subjectReference : patientReference;
  }

  /** "Observation/o1", or just the type when the resource has no id, for messages. */
  String label() {
    return id == null ? resourceType : resourceType + "/" + id;
  }

  /**
   * Reads the header of one resource. Stops as soon as what routing needs is known, so the rest of a
   * large Observation is not even tokenised here (HAPI reads it in full later).
   *
   * @param need tells, once the type is known, which other fields are wanted
   * @throws JsonParseException if the text is not a JSON object
   */
  static ResourceHeader read(JsonFactory json, String text, java.util.function.Function<String, Need> need)
      throws IOException {
    return read(json.createParser(text), need);
  }

  /**
   * As {@link #read(JsonFactory, String, java.util.function.Function)} from UTF-8 bytes, not decoded beforehand. A
   * line that starts exactly {@code {"resourceType":"Type"} (as Bulk Data exports write them) and whose type needs no
   * more is answered without a JSON parser: creating one per line costs more than the rest of such a line's reading,
   * and the parser too would stop right there.
   */
  static ResourceHeader read(JsonFactory json, byte[] utf8, int offset, int length,
      java.util.function.Function<String, Need> need) throws IOException {
    String type = leadingType(utf8, offset, length);
    if (type != null && need.apply(type) == Need.TYPE) {
      return new ResourceHeader(type, null, null, null);
    }
    return read(json.createParser(utf8, offset, length), need);
  }

  private static final byte[] TYPE_FIRST = "{\"resourceType\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The type of a line starting exactly {@code {"resourceType":"} and ASCII letters and a quote; else null. */
  static String leadingType(byte[] utf8, int offset, int length) {
    if (length < TYPE_FIRST.length + 2) {
      return null;
    }
    for (int i = 0; i < TYPE_FIRST.length; i++) {
      if (utf8[offset + i] != TYPE_FIRST[i]) {
        return null;
      }
    }
    int start = offset + TYPE_FIRST.length;
    int end = Math.min(offset + length, start + 64);
    for (int i = start; i < end; i++) {
      byte c = utf8[i];
      if (c == '"') {
        return i > start ? new String(utf8, start, i - start, java.nio.charset.StandardCharsets.US_ASCII) : null;
      }
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
        return null;
      }
    }
    return null;
  }

  private static ResourceHeader read(JsonParser parser, java.util.function.Function<String, Need> need)
      throws IOException {
    try (JsonParser p = parser) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new JsonParseException(p, "expected a JSON object (one FHIR resource), found "
            + (first == null ? "nothing" : first.asString() == null ? first.name() : "'" + first.asString() + "'"));
      }
      String type = null;
      String id = null;
      String subject = null;
      String patient = null;
      List<Code> codings = List.of();
      boolean typeSeen = false;
      boolean idSeen = false;
      boolean codeSeen = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "resourceType" -> {
            type = value == JsonToken.VALUE_STRING ? p.getText() : null;
            typeSeen = true;
          }
          case "id" -> {
            id = value == JsonToken.VALUE_STRING ? p.getText() : null;
            idSeen = true;
          }
          case "subject" -> subject = referenceIn(p, value);
          case "patient" -> patient = referenceIn(p, value);
          // read while the type is unknown too (resourceType need not come first), else only when asked for
          case "code" -> {
            if (!typeSeen || type != null && need.apply(type).readsCode()) {
              codings = codingsIn(p, value);
              codeSeen = true;
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
        if (typeSeen && type != null
            && isComplete(need.apply(type), idSeen, subject != null || patient != null, codeSeen)) {
          return new ResourceHeader(type, id, subject, patient, codings);
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new JsonParseException(p, "unexpected " + t + " inside the resource");
      }
      return new ResourceHeader(type, id, subject, patient, codings);
    }
  }

  private static boolean isComplete(Need need, boolean idSeen, boolean referenceSeen, boolean codeSeen) {
    return switch (need) {
      case TYPE -> true;
      case ID -> idSeen;
      case ID_AND_REFERENCE -> idSeen && referenceSeen;
      case REFERENCE_AND_CODE -> referenceSeen && codeSeen;
      case ID_REFERENCE_AND_CODE -> idSeen && referenceSeen && codeSeen;
    };
  }

  /**
   * How much of a resource of some type the caller wants read. {@code REFERENCE_AND_CODE} is the census's:
   * whose it is and its code, not its id.
   */
  enum Need {
    TYPE, ID, ID_AND_REFERENCE, REFERENCE_AND_CODE,
    /** The screen's read of an Observation: kept only when a rule reads its code. */
    ID_REFERENCE_AND_CODE;

    boolean readsCode() {
      return this == REFERENCE_AND_CODE || this == ID_REFERENCE_AND_CODE;
    }
  }

  /** The codings of a CodeableConcept with a non-blank code, as written; skips anything else. */
  private static List<Code> codingsIn(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return List.of();
    }
    List<Code> codings = new ArrayList<>(2);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (!"coding".equals(name) || v != JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      JsonToken element;
      while ((element = p.nextToken()) != JsonToken.END_ARRAY && element != null) {
        if (element != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        String system = null;
        String code = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken fieldValue = p.nextToken();
          // a number where a string belongs ("code": 95662005) is read as its text, as HAPI's lenient parser
          // reads it: the reader would find the code, so the census must too
          if ("system".equals(field) && isScalarText(fieldValue)) {
            system = p.getText();
          } else if ("code".equals(field) && isScalarText(fieldValue)) {
            code = p.getText();
          } else {
            p.skipChildren();
          }
        }
        if (code != null && !code.isBlank()) {
          codings.add(new Code(system, code, null));
        }
      }
    }
    return codings;
  }

  /** A string, or a number HAPI's lenient parser takes as its text. */
  private static boolean isScalarText(JsonToken value) {
    return value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
        || value == JsonToken.VALUE_NUMBER_FLOAT;
  }

  /** The {@code reference} string of a Reference object; skips anything else. */
  private static String referenceIn(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String reference = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if ("reference".equals(name) && v == JsonToken.VALUE_STRING) {
        reference = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return reference;
  }
}
