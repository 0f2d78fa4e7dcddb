package org.ketamineadvisor.advisor.fhir.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few top-level fields of a resource's JSON that decide which patient it belongs to, read with
 * Jackson's streaming parser so that routing a resource costs a fraction of parsing it with HAPI.
 */
record ResourceHeader(String resourceType, String id, String subjectReference, String patientReference) {

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
    try (JsonParser p = json.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new JsonParseException(p, "expected a JSON object (one FHIR resource), found "
            + (first == null ? "nothing" : first.asString() == null ? first.name() : "'" + first.asString() + "'"));
      }
      String type = null;
      String id = null;
      String subject = null;
      String patient = null;
      boolean typeSeen = false;
      boolean idSeen = false;
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
          default -> p.skipChildren();
        }
        if (typeSeen && type != null && isComplete(need.apply(type), idSeen, subject != null || patient != null)) {
          return new ResourceHeader(type, id, subject, patient);
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new JsonParseException(p, "unexpected " + t + " inside the resource");
      }
      return new ResourceHeader(type, id, subject, patient);
    }
  }

  private static boolean isComplete(Need need, boolean idSeen, boolean referenceSeen) {
    return switch (need) {
      case TYPE -> true;
      case ID -> idSeen;
      case ID_AND_REFERENCE -> idSeen && referenceSeen;
    };
  }

  /** How much of a resource of some type the caller wants read. */
  enum Need { TYPE, ID, ID_AND_REFERENCE }

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
