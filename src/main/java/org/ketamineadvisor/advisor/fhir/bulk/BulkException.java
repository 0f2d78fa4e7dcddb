package org.ketamineadvisor.advisor.fhir.bulk;

/**
 * The export could not be done, with a message a user can act on (what failed, where, what to do). The message never
 * carries a token, a key or a patient identifier.
 */
public class BulkException extends Exception {

  public BulkException(String message) {
    super(message);
  }

  public BulkException(String message, Throwable cause) {
    super(message, cause);
  }
}
