package org.ketamineadvisor.advisor.careplan;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.ketamineadvisor.advisor.assessment.IndicationGroup;

/** The infusion protocols of CLINICAL-RULES § 5, with their stable ids, defaults and sources. */
public enum ProtocolId {
  P_CRPS("P-CRPS", "CRPS protocol", "CRPS protocol: 0.35 mg/kg/h (at most 25 mg/h) over 4 h",
      "Schwartzman RJ et al., Pain 2009;147:107-115", 10, 240),
  P_SCI("P-SCI", "Spinal cord injury protocol", "Spinal cord injury protocol: 80 mg over 5 h",
      "Amr YM, Pain Physician 2010;13:245-249", 7, 300),
  P_STANDARD("P-STANDARD", "Standard outpatient protocol", "Standard outpatient protocol: 0.5 mg/kg over 40 min",
      "Tankha P et al., Reg Anesth Pain Med 2025 (Cleveland Clinic)", 5, 40);

  private final String id;
  private final String title;
  /** The protocol's dose and duration in words, which its display and a course of any length begin with. */
  private final String dosing;
  private final String display;
  private final String source;
  private final int defaultSessions;
  private final int minutesPerSession;

  ProtocolId(String id, String title, String dosing, String source, int defaultSessions, int minutesPerSession) {
    this.id = id;
    this.title = title;
    this.dosing = dosing;
    this.display = dosing + ", " + defaultSessions + " sessions (one a day on clinic days)";
    this.source = source;
    this.defaultSessions = defaultSessions;
    this.minutesPerSession = minutesPerSession;
  }

  /** The stable id, e.g. {@code P-CRPS}. */
  public String id() {
    return id;
  }

  /** The protocol's name in words, e.g. "CRPS protocol". */
  public String title() {
    return title;
  }

  public String display() {
    return display;
  }

  /**
   * The protocol in words for a course of {@code sessions} sessions: its display when that is the protocol's own
   * number, else the same words with the planned number and the protocol's own named apart ("…, 8 sessions (one a
   * day on clinic days; the protocol gives 10)"). A plan's text says what the plan schedules, never only the
   * protocol's default.
   */
  public String display(int sessions) {
    if (sessions == defaultSessions) {
      return display;
    }
    return dosing + ", " + sessions + (sessions == 1 ? " session" : " sessions")
        + " (one a day on clinic days; the protocol gives " + defaultSessions + ")";
  }

  /** The publication the dose, duration and number of sessions come from. */
  public String source() {
    return source;
  }

  public int defaultSessions() {
    return defaultSessions;
  }

  public int minutesPerSession() {
    return minutesPerSession;
  }

  /** The protocol for the best indication group (§ 5): crps → P-CRPS, central → P-SCI, else P-STANDARD. */
  public static ProtocolId defaultFor(IndicationGroup group) {
    if (group == IndicationGroup.CRPS) {
      return P_CRPS;
    }
    if (group == IndicationGroup.CENTRAL) {
      return P_SCI;
    }
    return P_STANDARD;
  }

  public static ProtocolId fromId(String id) {
    for (ProtocolId p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    String valid = Arrays.stream(values()).map(ProtocolId::id).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("unknown protocol '" + id + "': use one of " + valid);
  }
}
