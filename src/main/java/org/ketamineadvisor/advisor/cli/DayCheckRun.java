package org.ketamineadvisor.advisor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourse;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.CourseUnreadable;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;

/**
 * {@code assess --fhir-base … --patient … --day-check [--at INSTANT] [--time-zone ZONE]}: the infusion-day check
 * (§ 8.2) for one patient with an active signed course, as one JSON line — {@code go}, {@code hold},
 * {@code not-a-session-day} or {@code no-active-course} — with each check and, for a hold, its next step. Without
 * {@code --patient}, the site's list of the day: every patient with an active plan of this app, one line each, sorted
 * by patient id. Nothing is written. Times stay ISO instants (machine output); "today" is the calendar day of the
 * moment in the site's zone, given as {@code day} with the {@code timeZone}.
 */
final class DayCheckRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;

  DayCheckRun(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Exit status 0 when the check ran (whatever it says), 2 when the record or the chart could not be read.
   *
   * @param moment the check's moment ({@link AssessmentMoment#now()}) and the site's zone, whose calendar day of it
   *     the record is read as of
   */
  int run(ServerOptions server, String patientId, AssessmentMoment moment, ValueSetTerminology terminology) {
    PatientWorkspace workspace = workspace(server, terminology);
    try {
      out.println(line(workspace, server, patientId, moment));
      out.flush();
      return ExitStatus.OK;
    } catch (FhirServerException | CourseUnreadable e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
  }

  /**
   * The site's list of the day: every patient with an active plan of this app (every page of the search), one line
   * each, sorted by patient id. Exit status 2 when the search failed (nothing printed) or any patient could not be
   * read (the others are still printed; stderr names each that failed, by patient id).
   */
  int runAll(ServerOptions server, AssessmentMoment moment, ValueSetTerminology terminology) {
    PatientWorkspace workspace = workspace(server, terminology);
    List<ActiveCourse> courses;
    try {
      courses = workspace.activeCourses(server.fhirBase, server.token());
    } catch (FhirServerException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    List<String> failed = new ArrayList<>();
    for (ActiveCourse course : courses) {
      // a patient with two active plans is refused by the check itself (an error, exit 2), never a warning
      try {
        out.println(line(workspace, server, course.patientId(), moment));
      } catch (FhirServerException | CourseUnreadable e) {
        failed.add(course.patientId());
        err.println("error: patient " + course.patientId() + ": " + e.getMessage());
      }
    }
    out.flush();
    if (!failed.isEmpty()) {
      err.println("error: " + failed.size() + " of " + courses.size() + " patients could not be checked: "
          + String.join(", ", failed));
      return ExitStatus.UNREADABLE;
    }
    return ExitStatus.OK;
  }

  private static PatientWorkspace workspace(ServerOptions server, ValueSetTerminology terminology) {
    return PatientWorkspace.forR4(terminology, new UcumUnitConverter(), server.settings());
  }

  /**
   * The patient with the chart's course reads, as of the moment's day. The mapping refuses a record it cannot take
   * (an IllegalArgumentException, as {@code assess --fhir-base} reports it): that is an unreadable patient (exit 2);
   * anywhere else the same exception is a programming error (exit 1), never "the read failed".
   */
  static OpenedPatient open(PatientWorkspace workspace, ServerOptions server, String patientId,
      AssessmentMoment moment) {
    try {
      return workspace.open(new PatientWorkspace.Launch(server.fhirBase, patientId, server.token(), moment.today(),
          new ChartAccess(true, true)));
    } catch (IllegalArgumentException e) {
      throw new FhirServerException("patient " + patientId + " could not be read: " + e.getMessage());
    }
  }

  /** One patient's line; throws when the patient, the record or the course could not be read. */
  private static ObjectNode line(PatientWorkspace workspace, ServerOptions server, String patientId,
      AssessmentMoment moment) {
    OpenedPatient opened = open(workspace, server, patientId, moment);
    Optional<DayCheck> found = workspace.dayCheck(opened, moment);
    ObjectNode line = JSON.createObjectNode().put("patient", patientId).put("at", moment.now().toString());
    if (found.isEmpty()) {
      return line.put("decision", "no-active-course");
    }
    DayCheck check = found.get();
    ZoneId zone = moment.zone();
    line.put("decision", check.decision().code());
    if (check.session() > 0) {
      line.put("session", check.session());
    }
    line.put("sessions", check.sessions()).put("given", check.given().size());
    line.put("day", check.day().toString()).put("timeZone", zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId());
    if (check.nextSession() != null) {
      line.put("nextSession", check.nextSession().toString());
    }
    line.putObject("dose").put("mg", check.doseMg()).put("mgPerHour", check.rateMgPerHour())
        .put("mlPerHour", check.rateMlPerHour());
    ArrayNode checks = line.putArray("checks");
    for (DayCheck.Check c : check.checks()) {
      ObjectNode node = checks.addObject().put("id", c.id()).put("result", c.result().code());
      if (c.reading() != null) {
        node.put("reading", c.reading());
      }
      if (c.readAt() != null) {
        node.put("readAt", c.readAt().toString());
      }
      if (c.reference() != null) {
        node.put("evidence", c.reference());
      }
      node.put("detail", c.detail());
      if (c.nextStep() != null) {
        node.put("nextStep", c.nextStep());
      }
    }
    return line;
  }
}
