package org.ketamineadvisor.advisor.fhir;

import java.util.List;

/**
 * The outcome of one write-back: either every resource of the transaction confirmed by the server
 * ({@code written}: type, location, and whether it was created now or already there from an earlier
 * identical write), or nothing written and {@code failure} saying why in plain words.
 */
public record WriteResult(List<Written> written, String failure, RequestStats stats) {

  public WriteResult {
    written = List.copyOf(written);
    if ((failure == null) == written.isEmpty()) {
      throw new IllegalArgumentException("a write result is either written resources or a failure, not both or neither");
    }
  }

  static WriteResult success(List<Written> written, RequestStats stats) {
    return new WriteResult(written, null, stats);
  }

  static WriteResult failed(String failure, RequestStats stats) {
    return new WriteResult(List.of(), failure, stats);
  }

  public boolean succeeded() {
    return failure == null;
  }

  /**
   * One resource the server confirmed: its type, its location ("RiskAssessment/123/_history/1") and
   * whether this write created it (201) or found it from an earlier identical write (200).
   */
  public record Written(String resourceType, String location, boolean created) {
    /** "RiskAssessment/123" without the version. */
    public String id() {
      int history = location.indexOf("/_history/");
      return history < 0 ? location : location.substring(0, history);
    }
  }
}
