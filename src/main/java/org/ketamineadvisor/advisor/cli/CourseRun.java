package org.ketamineadvisor.advisor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.CourseUnreadable;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;

/**
 * {@code assess --fhir-base … --patient … --course [--at INSTANT] [--time-zone ZONE]}: the course as data (§ 8.1,
 * § 8.3) as one JSON line with always the same keys in the same order (docs/command-line.md § The course as data),
 * for a scheduler, a registry or an audit. Nothing is written. "Today" is the calendar day of the moment in the
 * site's zone.
 */
final class CourseRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;

  CourseRun(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** Exit status 0 when the course was read (whatever it says), 2 when any read it rests on failed. */
  int run(ServerOptions server, String patientId, AssessmentMoment moment, ValueSetTerminology terminology) {
    PatientWorkspace workspace = PatientWorkspace.forR4(terminology, new UcumUnitConverter(), server.settings());
    CourseProgress progress;
    try {
      progress = workspace.progress(DayCheckRun.open(workspace, server, patientId, moment), moment.today());
    } catch (FhirServerException | CourseUnreadable e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    out.println(line(patientId, moment, progress));
    out.flush();
    return ExitStatus.OK;
  }

  static ObjectNode line(String patientId, AssessmentMoment moment, CourseProgress p) {
    ObjectNode line = JSON.createObjectNode().put("patient", patientId).put("at", moment.now().toString())
        .put("status", p.status().code()).put("sessions", p.sessions()).put("sessionsGiven", p.sessionsGiven());
    date(line, "lastSession", p.lastSession());
    if (p.baseline() == null) {
      line.putNull("baseline");
    } else {
      ObjectNode baseline = line.putObject("baseline");
      number(baseline, "score", p.baseline().score());
      date(baseline, "date", p.baseline().date());
    }
    ArrayNode followUps = line.putArray("followUps");
    for (FollowUp f : p.followUps()) {
      ObjectNode node = followUps.addObject().put("week", f.weeks());
      date(node, "due", f.due());
      number(node, "score", f.score());
      date(node, "scoreDate", f.scoreDate());
      if (f.reductionPercent() == null) {
        node.putNull("reductionPercent");
      } else {
        node.put("reductionPercent", f.reductionPercent()); // one decimal, as on the page: 37.5, 30.0
      }
      node.put("response", f.response().code());
    }
    if (p.standing() == null) {
      line.putNull("standing");
    } else {
      line.put("standing", p.standing().code());
    }
    return line;
  }

  /** A score as a JSON number without trailing zeros (8, not 8.0 or 8E+0), or null. */
  private static void number(ObjectNode node, String name, BigDecimal value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, new BigDecimal(value.stripTrailingZeros().toPlainString()));
    }
  }

  private static void date(ObjectNode node, String name, LocalDate value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, value.toString());
    }
  }
}
