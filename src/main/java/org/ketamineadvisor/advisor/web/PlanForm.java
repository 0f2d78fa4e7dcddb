package org.ketamineadvisor.advisor.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.ProtocolId;

/**
 * The plan form (protocol, first session, number of sessions), validated against the assessment date: the request,
 * or what to correct. A blank field keeps the protocol's default.
 */
record PlanForm(PlanRequest request, List<String> problems) {

  PlanForm {
    problems = List.copyOf(problems);
    if ((request == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("a plan form holds either the request or what to correct");
    }
  }

  static PlanForm parse(String protocol, String start, String sessions, LocalDate asOf) {
    List<String> problems = new ArrayList<>();
    ProtocolId chosen = null;
    if (protocol != null && !protocol.isBlank()) {
      try {
        chosen = ProtocolId.fromId(protocol);
      } catch (IllegalArgumentException e) {
        problems.add("Choose one of the protocols offered.");
      }
    }
    LocalDate first = null;
    if (start != null && !start.isBlank()) {
      try {
        first = LocalDate.parse(start.strip());
        if (first.isBefore(asOf)) {
          problems.add("The first session cannot be before the assessment date " + asOf + ": choose " + asOf
              + " or later.");
        } else if (first.isAfter(asOf.plusDays(365))) {
          problems.add("The first session must be within a year of the assessment (by " + asOf.plusDays(365)
              + "): the assessment would be out of date by then.");
        }
      } catch (DateTimeParseException e) {
        problems.add("The start date '" + start + "' is not a date: use the form YYYY-MM-DD.");
      }
    }
    Integer count = null;
    if (sessions != null && !sessions.isBlank()) {
      try {
        count = Integer.valueOf(sessions.strip());
        if (count < 1 || count > PlanRequest.MAX_SESSIONS) {
          problems.add("The number of sessions must be between 1 and " + PlanRequest.MAX_SESSIONS + ".");
        }
      } catch (NumberFormatException e) {
        problems.add("The number of sessions '" + sessions + "' is not a whole number.");
      }
    }
    return problems.isEmpty() ? new PlanForm(new PlanRequest(chosen, first, count), List.of())
        : new PlanForm(null, problems);
  }
}
