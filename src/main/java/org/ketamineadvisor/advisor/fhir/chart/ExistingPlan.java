package org.ketamineadvisor.advisor.fhir.chart;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A CarePlan this app wrote earlier for the patient (found by the app's identifier system), so that a launch shows
 * it instead of proposing a duplicate, and a revision can replace it. {@code id} is "CarePlan/123", {@code version}
 * its version id (for If-Match); {@code author} the signer's name (else reference); dates and the author may be
 * null; {@code sessions} and {@code followUps} the dates it schedules (empty for plans written before they were
 * listed as timing events); {@code dosing} what a session gives, {@code goal} the Goal it pursues ("Goal/7", null
 * when none); {@code order} the session series as the plan words it (dose, volume, rate, course total; null when
 * it has none) and {@code steps} its other activities (monitoring, follow-ups), so that a printout can render the
 * plan in force from the chart rather than from the page's proposal; {@code assessment} the signed RiskAssessment it
 * rests on ("RiskAssessment/12", its {@code supportingInfo}; null when it names none), whose date and baseline the
 * course is followed from (§ 8.3), whatever was signed later.
 */
public record ExistingPlan(String id, String version, String status, String title, String description,
    LocalDate created, LocalDate start, LocalDate end, String author, Instant written, List<LocalDate> sessions,
    List<LocalDate> followUps, Dosing dosing, String goal, String order, List<Step> steps, String assessment)
    implements java.io.Serializable {

  /** A plan without the reference to the signed assessment it rests on (plans read before it was kept). */
  public ExistingPlan(String id, String version, String status, String title, String description, LocalDate created,
      LocalDate start, LocalDate end, String author, Instant written, List<LocalDate> sessions,
      List<LocalDate> followUps, Dosing dosing, String goal, String order, List<Step> steps) {
    this(id, version, status, title, description, created, start, end, author, written, sessions, followUps, dosing,
        goal, order, steps, null);
  }

  /** One activity of the plan other than the session series: what, when in words, and the dates it names. */
  public record Step(String description, String when, List<LocalDate> dates) implements java.io.Serializable {
    public Step {
      dates = dates == null ? List.of() : List.copyOf(dates);
    }
  }

  /**
   * The session dose (mg), its duration (min) and the weight it was computed on (kg, null when the dose does not
   * depend on it or the plan does not say), as the signed plan states them; null for plans that do not.
   */
  public record Dosing(int doseMg, int minutes, java.math.BigDecimal weightKg) implements java.io.Serializable {}

  public ExistingPlan {
    sessions = sessions == null ? List.of() : List.copyOf(sessions);
    followUps = followUps == null ? List.of() : List.copyOf(followUps);
    steps = steps == null ? List.of() : List.copyOf(steps);
    if (id == null || id.isBlank() || status == null) {
      throw new IllegalArgumentException("an existing plan needs its id and status");
    }
  }

  /** The course total (mg): the session dose times the sessions the plan schedules; null when it does not say. */
  public Integer courseTotalMg() {
    return dosing == null || sessions.isEmpty() ? null : dosing.doseMg() * sessions.size();
  }

  /** Active, on hold or draft: still in force, so a new proposal would duplicate it. */
  public boolean current() {
    return "active".equals(status) || "draft".equals(status) || "on-hold".equals(status);
  }
}
