package org.ketamineadvisor.advisor.cli;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.CoursePlan;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.course.InfusionDayCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * {@code assess --fhir-base … --patient … --day-check [--at INSTANT] [--time-zone ZONE]}: the infusion-day check
 * (§ 8.2) for one patient with an active signed course, as one JSON line — {@code go}, {@code hold},
 * {@code not-a-session-day} or {@code no-active-course} — with each check and, for a hold, its next step, so a site
 * can run it over the day's list. Nothing is written. Times stay ISO instants (machine output); "today" is the
 * calendar day of the moment in the site's zone, given as {@code day} with the {@code timeZone}.
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
    UcumUnitConverter units = new UcumUnitConverter();
    PatientWorkspace workspace = PatientWorkspace.forR4(terminology, units, server.settings());
    Instant at = moment.now();
    ZoneId zone = moment.zone();
    OpenedPatient opened;
    try {
      opened = workspace.open(new PatientWorkspace.Launch(server.fhirBase, patientId, server.token(), moment.today(),
          new ChartAccess(true, true)));
    } catch (FhirServerException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    ObjectNode line = JSON.createObjectNode().put("patient", patientId).put("at", at.toString());
    if (!opened.chart().checked() || opened.chart().courseProblem() != null) {
      String why = opened.chart().checked() ? opened.chart().courseProblem() : opened.chart().problem();
      err.println("error: the course could not be read: " + why);
      return ExitStatus.UNREADABLE;
    }
    Optional<CoursePlan> course = SignedCourse.of(opened.chart());
    if (course.isEmpty()) {
      out.println(line.put("decision", "no-active-course"));
      out.flush();
      return ExitStatus.OK;
    }
    var today = workspace.assess(opened, java.util.List.of(), PlanRequest.defaults()).assessment();
    DayCheck check = new InfusionDayCheck(terminology, units, SiteSettings.defaults().withTimeZone(zone)).check(
        course.get(), today.patient(), opened.record().observations(), opened.chart().administrations(),
        SignedCourse.contraindications(today), at);
    line.put("decision", check.decision().code());
    if (check.session() > 0) {
      line.put("session", check.session());
    }
    line.put("sessions", check.sessions()).put("given", check.given().size());
    line.put("day", check.day().toString())
        .put("timeZone", zone.equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId());
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
    out.println(line);
    out.flush();
    return ExitStatus.OK;
  }
}
