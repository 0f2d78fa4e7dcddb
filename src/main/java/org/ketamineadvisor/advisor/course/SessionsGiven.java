package org.ketamineadvisor.advisor.course;

import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;

/** § 8.1: a session counts as given when a completed (or in-progress) ketamine administration falls on its day. */
public final class SessionsGiven {
  private SessionsGiven() {}

  /** The plan's session days on which a session was given, in order, each once. */
  public static List<LocalDate> of(CoursePlan plan, List<Administration> administrations) {
    TreeSet<LocalDate> given = new TreeSet<>();
    for (Administration a : administrations) {
      if (a.counts() && a.date() != null && plan.sessions().contains(a.date())) {
        given.add(a.date());
      }
    }
    return List.copyOf(given);
  }
}
