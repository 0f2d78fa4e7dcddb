package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.workspace.SeededCourses;

/**
 * {@code assess --course} through the real command line against a real HAPI JPA server (rule set v1.1 § 8.1, § 8.3):
 * the line's keys in their order, every window edge and threshold of § 8.3 in its JSON, each status, follow-ups
 * from the last session given, and exit status 2 when a read failed.
 */
class CourseCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEYS = List.of("patient", "at", "status", "sessions", "sessionsGiven",
      "lastSession", "baseline", "followUps", "standing");
  private static final List<String> FOLLOW_UP_KEYS = List.of("week", "due", "score", "scoreDate", "reductionPercent",
      "response");

  private static String base;
  private static SeededCourses seeded;
  /** The default plan's session days (the same for every signed copy): 2026-06-02 to 2026-06-15. */
  private static List<LocalDate> sessions;

  @BeforeAll
  static void server() {
    base = EmbeddedFhirServer.shared().baseUrl();
    seeded = new SeededCourses(base);
  }

  /** A signed course with baseline 10 (2026-05-25) and all ten sessions given: the last on 2026-06-15. */
  private static String givenInFull() {
    String patient = seeded.signed("10", null);
    sessions = seeded.sessions(patient);
    seeded.administer(patient, sessions);
    return patient;
  }

  private static LocalDate last() {
    return sessions.get(sessions.size() - 1);
  }

  @Test
  void oneLineWithExactlyTheKeysOfTheIssueInTheirOrder() {
    String patient = givenInFull();
    assertThat(sessions).hasSize(10).startsWith(LocalDate.of(2026, 6, 2)).endsWith(LocalDate.of(2026, 6, 15));
    seeded.pain(patient, "2026-06-20T10:00:00Z", "6");
    Run run = course(patient, "2026-07-20T09:30:00Z");
    assertThat(run.status).as(run.err).isZero();
    assertThat(run.out.strip().lines()).hasSize(1);
    assertThat(run.out.strip()).isEqualTo("{\"patient\":\"" + patient + "\",\"at\":\"2026-07-20T09:30:00Z\","
        + "\"status\":\"following-up\",\"sessions\":10,\"sessionsGiven\":10,\"lastSession\":\"2026-06-15\","
        + "\"baseline\":{\"score\":10,\"date\":\"2026-05-25\"},\"followUps\":["
        + "{\"week\":1,\"due\":\"2026-06-22\",\"score\":6,\"scoreDate\":\"2026-06-20\",\"reductionPercent\":40.0,"
        + "\"response\":\"moderate\"},"
        + "{\"week\":4,\"due\":\"2026-07-13\",\"score\":null,\"scoreDate\":null,\"reductionPercent\":null,"
        + "\"response\":\"pending\"},"
        + "{\"week\":12,\"due\":\"2026-09-07\",\"score\":null,\"scoreDate\":null,\"reductionPercent\":null,"
        + "\"response\":\"pending\"}],\"standing\":\"pending\"}");
    JsonNode line = run.line();
    assertThat(fieldNames(line)).isEqualTo(KEYS);
    line.get("followUps").forEach(f -> assertThat(fieldNames(f)).isEqualTo(FOLLOW_UP_KEYS));
  }

  @ParameterizedTest(name = "{4}-week score on due {0} days, run on due + {1} days: {2}, standing {3}")
  @CsvSource({
      "-8, 20, missing, unknown, 12",       // before the window: not the follow-up's score; the window has closed
      "-7, 20, substantial, responder, 12", // the window's first day
      "14, 20, substantial, responder, 12", // the window's last day
      "15, 20, missing, unknown, 12",       // after the window
      "15, 14, pending, pending, 12",       // the window's last day is today: still open (the score is tomorrow's)
      "15, 15, missing, unknown, 12",       // the day after the window: closed without a score
      // the 1- and 4-week windows have the same edges; the standing waits for the 12-week follow-up
      "-8, 20, missing, pending, 1",
      "-7, 20, substantial, pending, 1",
      "14, 20, substantial, pending, 1",
      "15, 20, missing, pending, 1",
      "-8, 20, missing, pending, 4",
      "-7, 20, substantial, pending, 4",
      "14, 20, substantial, pending, 4",
      "15, 20, missing, pending, 4"})
  void everyWindowEdgeOfEachFollowUp(int scoreDay, int runDay, String response, String standing, int weeks) {
    String patient = givenInFull();
    LocalDate due = last().plusWeeks(weeks);
    seeded.pain(patient, due.plusDays(scoreDay) + "T10:00:00Z", "4");
    JsonNode line = course(patient, due.plusDays(runDay) + "T09:30:00Z").line();
    JsonNode twelve = line.get("followUps").get(List.of(1, 4, 12).indexOf(weeks));
    assertThat(twelve.get("week").asInt()).isEqualTo(weeks);
    assertThat(twelve.get("due").asText()).isEqualTo(due.toString());
    assertThat(twelve.get("response").asText()).isEqualTo(response);
    boolean counted = !response.equals("missing") && !response.equals("pending");
    assertThat(twelve.get("score").isNull()).isEqualTo(!counted);
    if (counted) {
      assertThat(twelve.get("score").isIntegralNumber()).isTrue();
      assertThat(twelve.get("score").asInt()).isEqualTo(4);
      assertThat(twelve.get("scoreDate").asText()).isEqualTo(due.plusDays(scoreDay).toString());
      assertThat(twelve.get("reductionPercent").decimalValue()).isEqualByComparingTo("60.0");
    }
    assertThat(line.get("standing").asText()).isEqualTo(standing);
  }

  @ParameterizedTest(name = "baseline 10, 12-week score {0}: {1} % {2}, {3}")
  @CsvSource({
      "7.01, 29.9, none, non-responder",
      "7, 30.0, moderate, responder",
      "5.01, 49.9, moderate, responder",
      "5, 50.0, substantial, responder"})
  void theThirtyAndFiftyPercentThresholds(String score, String percent, String response, String standing) {
    String patient = givenInFull();
    LocalDate due = last().plusWeeks(12);
    seeded.pain(patient, due + "T10:00:00Z", score);
    JsonNode line = course(patient, due.plusDays(20) + "T09:30:00Z").line();
    JsonNode twelve = line.get("followUps").get(2);
    assertThat(twelve.get("score").isNumber()).isTrue();
    assertThat(twelve.get("score").decimalValue()).isEqualByComparingTo(score);
    assertThat(twelve.get("reductionPercent").isNumber()).isTrue();
    assertThat(twelve.get("reductionPercent").decimalValue()).isEqualByComparingTo(percent);
    assertThat(twelve.get("response").asText()).isEqualTo(response);
    assertThat(line.get("standing").asText()).isEqualTo(standing);
  }

  @Test
  void aBaselineOfZeroIsNotComputable() {
    String patient = givenInFull();
    // a pain score of 0 the day before T becomes the baseline: the latest within 90 days before T
    seeded.pain(patient, "2026-05-31T10:00:00Z", "0");
    LocalDate due = last().plusWeeks(12);
    seeded.pain(patient, due + "T10:00:00Z", "0");
    JsonNode line = course(patient, due.plusDays(20) + "T09:30:00Z").line();
    assertThat(line.get("baseline").get("score").asInt()).isZero();
    assertThat(line.get("baseline").get("date").asText()).isEqualTo("2026-05-31");
    JsonNode twelve = line.get("followUps").get(2);
    assertThat(twelve.get("response").asText()).isEqualTo("not-computable");
    assertThat(twelve.get("reductionPercent").isNull()).isTrue();
    assertThat(line.get("standing").asText()).isEqualTo("not-computable");
  }

  @Test
  void withoutABaselineTheKeyIsNullAndAScoreIsNotComputable() {
    String patient = seeded.signedWithoutBaseline();
    sessions = seeded.sessions(patient);
    seeded.administer(patient, sessions);
    seeded.pain(patient, last().plusWeeks(1) + "T10:00:00Z", "5");
    JsonNode line = course(patient, last().plusWeeks(2) + "T09:30:00Z").line();
    assertThat(line.has("baseline")).isTrue();
    assertThat(line.get("baseline").isNull()).isTrue();
    JsonNode week = line.get("followUps").get(0);
    assertThat(week.get("score").asInt()).isEqualTo(5);
    assertThat(week.get("reductionPercent").isNull()).isTrue();
    assertThat(week.get("response").asText()).isEqualTo("not-computable");
    assertThat(line.get("followUps").get(2).get("response").asText()).isEqualTo("pending");
  }

  @Test
  void theCourseWritesNothing() {
    String patient = givenInFull();
    seeded.pain(patient, last().plusWeeks(12) + "T10:00:00Z", "4");
    int before = resources();
    assertThat(course(patient, last().plusWeeks(12).plusDays(20) + "T09:30:00Z").line().get("standing").asText())
        .isEqualTo("responder");
    assertThat(resources()).as("nothing written").isEqualTo(before);
  }

  private static int resources() {
    var client = ca.uhn.fhir.context.FhirContext.forR4Cached().newRestfulGenericClient(base);
    int total = 0;
    for (String type : List.of("CarePlan", "Goal", "RiskAssessment", "Provenance", "Observation",
        "MedicationAdministration")) {
      total += client.search().forResource(type).summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
          .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getTotal();
    }
    return total;
  }

  @Test
  void fewerSessionsGivenThanPlannedCountTheFollowUpsFromTheLastGiven() {
    String patient = seeded.signed("10", null);
    List<LocalDate> planned = seeded.sessions(patient);
    seeded.administer(patient, planned.subList(0, 3));
    LocalDate lastGiven = planned.get(2);
    seeded.pain(patient, lastGiven.plusWeeks(1) + "T10:00:00Z", "5");
    JsonNode line = course(patient, "2026-07-01T09:30:00Z").line();
    assertThat(line.get("status").asText()).as("no session day remains").isEqualTo("following-up");
    assertThat(line.get("sessions").asInt()).isEqualTo(10);
    assertThat(line.get("sessionsGiven").asInt()).isEqualTo(3);
    assertThat(line.get("lastSession").asText()).isEqualTo(lastGiven.toString());
    assertThat(line.get("followUps").findValuesAsText("due")).containsExactly(lastGiven.plusWeeks(1).toString(),
        lastGiven.plusWeeks(4).toString(), lastGiven.plusWeeks(12).toString());
    assertThat(line.get("followUps").get(0).get("response").asText()).isEqualTo("substantial");
  }

  @Test
  void eachStatus() {
    String unsigned = seeded.unsigned();
    Run none = course(unsigned, "2026-06-05T09:30:00Z");
    assertThat(none.status).as(none.err).isZero();
    assertThat(none.out.strip()).isEqualTo("{\"patient\":\"" + unsigned + "\",\"at\":\"2026-06-05T09:30:00Z\","
        + "\"status\":\"no-course\",\"sessions\":0,\"sessionsGiven\":0,\"lastSession\":null,\"baseline\":null,"
        + "\"followUps\":[],\"standing\":null}");

    String started = seeded.signed("10", null);
    JsonNode beforeAnySession = course(started, "2026-06-01T18:00:00Z").line();
    assertThat(beforeAnySession.get("status").asText()).isEqualTo("in-progress");
    assertThat(beforeAnySession.get("followUps")).isEmpty();
    assertThat(beforeAnySession.get("lastSession").isNull()).isTrue();
    assertThat(beforeAnySession.get("standing").asText()).isEqualTo("pending");
    seeded.administer(started, seeded.sessions(started).subList(0, 3));
    JsonNode inProgress = course(started, "2026-06-05T09:30:00Z").line();
    assertThat(inProgress.get("status").asText()).isEqualTo("in-progress");
    assertThat(inProgress.get("sessionsGiven").asInt()).isEqualTo(3);
    assertThat(inProgress.get("followUps")).hasSize(3);
    // in Zurich it is already the next day: a session day remains all the same
    assertThat(course(started, "2026-06-15T22:30:00Z", "--time-zone", "Europe/Zurich").line().get("status")
        .asText()).isEqualTo("following-up");
    assertThat(course(started, "2026-06-15T21:30:00Z", "--time-zone", "Europe/Zurich").line().get("status")
        .asText()).isEqualTo("in-progress");

    String done = givenInFull();
    assertThat(course(done, "2026-06-15T18:00:00Z").line().get("status").asText()).isEqualTo("following-up");
    seeded.complete(done);
    assertThat(course(done, "2026-09-30T09:30:00Z").line().get("status").asText()).isEqualTo("completed");
  }

  @Test
  void aReadThatFailedExitsWithTwoAndPrintsNoLine() {
    Run unknownPatient = course("no-such-patient", "2026-06-05T09:30:00Z");
    assertThat(unknownPatient.status).isEqualTo(2);
    assertThat(unknownPatient.out).isEmpty();
    assertThat(unknownPatient.err).startsWith("error: ");
    Run unreachable = run("assess", "--fhir-base", "http://localhost:1/fhir", "--patient", "p1", "--course",
        "--max-retries", "0");
    assertThat(unreachable.status).isEqualTo(2);
    assertThat(unreachable.out).isEmpty();
  }

  @Test
  void twoActivePlansAreAnErrorForThePatientNeverTheNewestPickedSilently() {
    String patient = givenInFull();
    String duplicate = seeded.secondActivePlan(patient);
    for (Run run : List.of(course(patient, "2026-06-05T09:30:00Z"), run("assess", "--fhir-base", base, "--patient",
        patient, "--day-check", "--at", "2026-06-05T09:30:00Z"))) {
      assertThat(run.status).as(run.err).isEqualTo(2);
      assertThat(run.out).isEmpty();
      assertThat(run.err).contains("patient " + patient + " has 2 active ketamine plans: ").contains(duplicate)
          .contains("resolve in the EHR");
    }
  }

  @Test
  void aPlanTheCourseCannotBeBuiltFromIsAnErrorNotNoCourse() {
    String patient = seeded.signed("10", null);
    String plan = seeded.withoutDose(patient);
    for (Run run : List.of(course(patient, "2026-06-05T09:30:00Z"), run("assess", "--fhir-base", base, "--patient",
        patient, "--day-check", "--at", "2026-06-05T09:30:00Z"))) {
      assertThat(run.status).as(run.out).isEqualTo(2);
      assertThat(run.out).isEmpty();
      assertThat(run.err).contains("the plan " + plan + " states no session dose and duration");
    }
  }

  @Test
  void wrongCombinationsAreUsageErrors() {
    for (String[] args : List.of(
        new String[] {"assess", "--input", "x.json", "--course"},
        new String[] {"assess", "--fhir-base", "http://localhost:1/fhir", "--course"},
        new String[] {"assess", "--fhir-base", "http://localhost:1/fhir", "--patient", "p1", "--course",
            "--day-check"},
        new String[] {"assess", "--fhir-base", "http://localhost:1/fhir", "--patient", "p1", "--course",
            "--write"})) {
      Run run = run(args);
      assertThat(run.status).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err).contains("--course goes with --fhir-base URL and --patient ID");
      assertThat(run.out).isEmpty();
    }
    for (String[] args : List.of(
        new String[] {"--course", "--as-of", "2026-06-01"},
        new String[] {"--course", "--protocol", "P-CRPS"},
        new String[] {"--day-check", "--start", "2026-06-02"},
        new String[] {"--day-check", "--emit-fhir", "out"})) {
      List<String> all = new ArrayList<>(List.of("assess", "--fhir-base", "http://localhost:1/fhir", "--patient",
          "p1"));
      all.addAll(List.of(args));
      Run run = run(all.toArray(String[]::new));
      assertThat(run.status).as(String.join(" ", all)).isEqualTo(2);
      assertThat(run.err).as(String.join(" ", all)).contains(args[1] + " goes with an assessment, not with "
          + args[0]);
      assertThat(run.out).isEmpty();
    }
    Run blank = run("assess", "--fhir-base", "http://localhost:1/fhir", "--patient", "", "--day-check");
    assertThat(blank.status).isEqualTo(2);
    assertThat(blank.err).contains("--patient is blank").doesNotContain("could not be searched");
    assertThat(blank.out).isEmpty();
    Run writeDayCheck = run("assess", "--fhir-base", "http://localhost:1/fhir", "--day-check", "--write");
    assertThat(writeDayCheck.status).isEqualTo(2);
    assertThat(writeDayCheck.err).contains("--day-check goes with --fhir-base URL");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static Run course(String patient, String at, String... more) {
    List<String> args = new ArrayList<>(List.of("assess", "--fhir-base", base, "--patient", patient, "--course",
        "--at", at));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(args, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  record Run(int status, String out, String err) {
    JsonNode line() {
      assertThat(status).as("exit status; stderr: %s", err).isZero();
      assertThat(out.strip().lines()).hasSize(1);
      try {
        return JSON.readTree(out);
      } catch (java.io.IOException e) {
        throw new AssertionError(out, e);
      }
    }
  }
}
