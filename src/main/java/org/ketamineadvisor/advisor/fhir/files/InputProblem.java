package org.ketamineadvisor.advisor.fhir.files;

/**
 * Something in an input file that could not be used: {@code source} is the file (with ":line N" for
 * NDJSON), {@code message} says what is wrong and what to do about it.
 */
public record InputProblem(String source, String message) implements java.io.Serializable {

  public InputProblem {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("an input problem needs the file it was found in");
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("an input problem needs a message (" + source + ")");
    }
  }

  @Override
  public String toString() {
    return source + ": " + message;
  }
}
