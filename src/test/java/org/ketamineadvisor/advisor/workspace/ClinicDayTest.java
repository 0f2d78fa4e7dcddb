package org.ketamineadvisor.advisor.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Group;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Row;

/**
 * The clinic's day against the sandbox's bearer-protected HAPI JPA server and its seeded showcase courses, read with a
 * {@code user/}-scoped token without a patient (as a launch from the schedule gets): each course in the group its
 * plan and progress put it in on the seeds' day and on the day of the responders' 1-week follow-up, and a token that
 * cannot search every patient's plans giving no rows and saying why.
 */
class ClinicDayTest {

  private static final List<String> CLINIC_SCOPES = org.ketamineadvisor.advisor.launch.EhrRegistration.CLINIC_SCOPES;
  private static final ChartAccess READ_ONLY = new ChartAccess(true, true, true, true);

  private static SandboxEhr sandbox;
  private static ExecutorService requests;
  private static PatientWorkspace workspace;

  @BeforeAll
  static void start() {
    sandbox = SandboxEhr.start(SandboxOptions.defaults());
    requests = Executors.newFixedThreadPool(4);
    workspace = PatientWorkspace.forR4(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
        FhirClientSettings.defaults());
  }

  @AfterAll
  static void stop() {
    requests.shutdownNow();
    sandbox.close();
  }

  @Test
  void onTheSeedsDayTheInfusionCoursesAreTodayWithTheirCheckAndTheFinishedOnesWaitForTheirStanding() {
    ClinicDay.Day day = read(LocalDate.parse("2026-06-01"), CLINIC_SCOPES);

    assertThat(day.problem()).isNull();
    Map<String, Row> rows = byPatient(day);
    assertThat(rows.keySet()).contains("course-go", "course-hold", "course-responder", "course-non-responder");
    assertThat(rows.values()).allSatisfy(row -> assertThat(row.problem()).as(row.course().patientId()).isNull());
    assertThat(rows.get("course-go").group()).isEqualTo(Group.TODAY);
    assertThat(rows.get("course-go").check().decision()).isEqualTo(DayCheck.Decision.GO);
    assertThat(rows.get("course-hold").group()).isEqualTo(Group.TODAY);
    assertThat(rows.get("course-hold").check().holds()).isTrue();
    assertThat(rows.get("course-responder").group()).isEqualTo(Group.ENDED);
    assertThat(rows.get("course-non-responder").group()).isEqualTo(Group.ENDED);
    assertThat(rows.get("course-non-responder").progress().standing().code()).isEqualTo("non-responder");
    // the Goal does not record the follow-ups yet: the clinician's confirmation is awaited
    assertThat(rows.get("course-non-responder").waitsForConfirmation()).isTrue();
  }

  @Test
  void theWeekOfAOneWeekFollowUpListsItWithItsScore() {
    // the responders' sessions ended on 2026-03-02 (10 given): the 1-week follow-up is due on Mon 2026-03-09
    ClinicDay.Day day = read(LocalDate.parse("2026-03-11"), CLINIC_SCOPES);

    Row responder = byPatient(day).get("course-responder");
    assertThat(responder.group()).isEqualTo(Group.FOLLOW_UP_DUE);
    assertThat(responder.progress().followUps()).first().satisfies(f -> {
      assertThat(f.weeks()).isEqualTo(1);
      assertThat(f.score()).isNotNull();
    });
    // the infusion courses' sessions are all ahead: the rest of the list, never dropped
    assertThat(byPatient(day).get("course-go").group()).isEqualTo(Group.IN_COURSE);
  }

  @Test
  void withoutASearchAcrossPatientsThereAreNoRowsAndTheDaySaysWhy() {
    ClinicDay.Day day = read(LocalDate.parse("2026-06-01"),
        CLINIC_SCOPES.stream().filter(s -> !s.startsWith("user/CarePlan")).toList());

    assertThat(day.rows()).isEmpty();
    assertThat(day.problem()).contains("active courses could not be searched");
  }

  @Test
  void aRecordReadOnlyInPartGivesNoCheckAtAllOnlyWhatWasNotRead() {
    // without user/Observation.rs the vital signs cannot be searched: whatever the rules would say, no GO
    ClinicDay.Day day = read(LocalDate.parse("2026-06-01"),
        CLINIC_SCOPES.stream().filter(s -> !s.startsWith("user/Observation")).toList());

    Row go = byPatient(day).get("course-go");
    assertThat(go.group()).isEqualTo(Group.TODAY);
    assertThat(go.check()).isNull();
    assertThat(go.problem()).contains("not read completely").contains("Observation");
  }

  @Test
  void withoutReadingPatientsAcrossPatientsTheListStillLoadsWithoutNames() {
    // the server refuses a search that includes Patients the token may not read: the list leaves them out
    AssessmentMoment moment = new AssessmentMoment(Clock.systemUTC(), ZoneOffset.UTC, LocalDate.parse("2026-06-01"));
    String token = sandbox.patientToken(null,
        CLINIC_SCOPES.stream().filter(s -> !s.startsWith("user/Patient")).toList(), "Practitioner/dr-ada");

    ClinicDay.Day day = new ClinicDay(workspace, requests, moment, 4)
        .read(sandbox.fhirBaseUrl(), token, READ_ONLY, false);

    assertThat(day.problem()).isNull();
    assertThat(byPatient(day)).containsKey("course-go");
    assertThat(byPatient(day).get("course-go").course().name()).isNull();
  }

  private static ClinicDay.Day read(LocalDate today, List<String> scopes) {
    AssessmentMoment moment = new AssessmentMoment(Clock.systemUTC(), ZoneOffset.UTC, today);
    String token = sandbox.patientToken(null, scopes, "Practitioner/dr-ada");
    return new ClinicDay(workspace, requests, moment, 4).read(sandbox.fhirBaseUrl(), token, READ_ONLY);
  }

  private static Map<String, Row> byPatient(ClinicDay.Day day) {
    return day.rows().stream().collect(Collectors.toMap(r -> r.course().patientId(), r -> r));
  }
}
