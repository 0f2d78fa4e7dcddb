package org.ketamineadvisor.advisor.fhir.server;

import java.util.List;

/**
 * The outcome of one write-back, told truthfully in one of three ways: {@code WRITTEN} (confirmed by the server's
 * answer or, when that was lost, by finding it on the server; {@code written}: type, location and how each resource
 * got there), {@code NOT_WRITTEN}
 * ({@code failure} says why in plain words), or {@code UNKNOWN} (the server's answer was lost and looking it up
 * failed too: {@code failure} says to check the chart). {@code note} says how a write was confirmed when its answer
 * was lost (null otherwise).
 */
public record WriteResult(Outcome outcome, List<Written> written, String failure, String note, RequestStats stats) {

  /** Written, not written, or not known. */
  public enum Outcome { WRITTEN, NOT_WRITTEN, UNKNOWN }

  public WriteResult {
    written = List.copyOf(written);
    if (outcome == null || (outcome == Outcome.WRITTEN) != (failure == null)
        || (outcome == Outcome.WRITTEN && written.isEmpty()) || (outcome != Outcome.WRITTEN && !written.isEmpty())) {
      throw new IllegalArgumentException("a write result is either written resources or a failure, not both or neither");
    }
  }

  public WriteResult(List<Written> written, String failure, RequestStats stats) {
    this(failure == null ? Outcome.WRITTEN : Outcome.NOT_WRITTEN, written, failure, null, stats);
  }

  static WriteResult success(List<Written> written, RequestStats stats) {
    return new WriteResult(Outcome.WRITTEN, written, null, null, stats);
  }

  /** Written, as found on the server after its answer to the write was lost ({@code note} says so). */
  static WriteResult confirmedByLookUp(List<Written> written, String note, RequestStats stats) {
    return new WriteResult(Outcome.WRITTEN, written, null, note, stats);
  }

  public static WriteResult failed(String failure, RequestStats stats) {
    return new WriteResult(Outcome.NOT_WRITTEN, List.of(), failure, null, stats);
  }

  static WriteResult unknown(String failure, RequestStats stats) {
    return new WriteResult(Outcome.UNKNOWN, List.of(), failure, null, stats);
  }

  public boolean succeeded() {
    return outcome == Outcome.WRITTEN;
  }

  /** The write may or may not have happened: the chart must be checked before writing again. */
  public boolean uncertain() {
    return outcome == Outcome.UNKNOWN;
  }

  /** How a resource came to be on the server, as far as this write can tell. */
  public enum How {
    /** Created by this write (201). */
    CREATED,
    /** Updated by this write (an update answered 200). */
    UPDATED,
    /** A conditional create that found the resource from an earlier identical write (200): nothing new. */
    ALREADY_THERE,
    /** Found by looking it up after the answer to this write was lost: by this write or an earlier identical one. */
    FOUND;

    /** "(created)", "(already there from an earlier identical write)": how the CLI and the log say it. */
    public String words() {
      return switch (this) {
        case CREATED -> "created";
        case UPDATED -> "updated";
        case ALREADY_THERE -> "already there from an earlier identical write";
        case FOUND -> "found on the server";
      };
    }
  }

  /**
   * One resource on the server: its type, its location ("RiskAssessment/123/_history/1") and how it got there.
   */
  public record Written(String resourceType, String location, How how) {
    /** "RiskAssessment/123" without the version. */
    public String id() {
      int history = location.indexOf("/_history/");
      return history < 0 ? location : location.substring(0, history);
    }

    /** True when this write created it (201), false when it was there already, updated or found. */
    public boolean created() {
      return how == How.CREATED;
    }
  }
}
