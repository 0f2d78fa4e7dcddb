package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.workspace.SeededCourses;

/**
 * {@code assess --day-check} without {@code --patient}, the site's list of the day, through the real command line
 * against a HAPI JPA server of its own (so that the list holds exactly this test's courses): every patient with an
 * active plan, one line each as the per-patient check prints it, sorted by patient id; a completed course is not
 * listed; a patient that cannot be read is named and exits with 2, the others still checked; a failed search exits
 * with 2 and prints nothing.
 */
class SiteDayCheckCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedFhirServer server;

  @BeforeAll
  static void start() {
    server = EmbeddedFhirServer.start(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyActiveCourseOneLineEachSortedByPatientAndNothingWritten() throws Exception {
    SeededCourses seeded = new SeededCourses(server.baseUrl());
    // the first session of the default plan is Tuesday 2026-06-02
    String go = seeded.signed(null, null);
    seeded.normalMorning(go, "2026-06-02T08:30:00Z");
    String hold = seeded.signed(null, null); // no reading this morning
    String later = seeded.signed(null, LocalDate.of(2026, 6, 8)); // its first session is next Monday
    String completed = seeded.signed(null, null);
    seeded.complete(completed);
    int resourcesBefore = total();

    CourseCommandTest.Run run = CourseCommandTest.run("assess", "--fhir-base", server.baseUrl(), "--day-check",
        "--at", "2026-06-02T09:00:00Z");
    assertThat(run.status()).as(run.err()).isZero();
    List<String> lines = run.out().strip().lines().toList();
    List<String> expectedOrder = new ArrayList<>(List.of(go, hold, later));
    expectedOrder.sort(null);
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      parsed.add(JSON.readTree(line));
    }
    assertThat(parsed).extracting(l -> l.get("patient").asText()).containsExactlyElementsOf(expectedOrder);
    for (JsonNode line : parsed) {
      String patient = line.get("patient").asText();
      String decision = line.get("decision").asText();
      assertThat(decision).as(patient).isEqualTo(patient.equals(go) ? "go" : patient.equals(hold) ? "hold"
          : "not-a-session-day");
      // the same line as the per-patient check prints
      CourseCommandTest.Run one = CourseCommandTest.run("assess", "--fhir-base", server.baseUrl(), "--patient",
          patient, "--day-check", "--at", "2026-06-02T09:00:00Z");
      assertThat(one.out().strip()).isEqualTo(line.toString());
    }
    assertThat(total()).as("nothing written").isEqualTo(resourcesBefore);

    // one patient can no longer be read: the others are still checked, the failed one is named, exit status 2
    server.client().delete().resourceById("Patient", later).execute();
    CourseCommandTest.Run partial = CourseCommandTest.run("assess", "--fhir-base", server.baseUrl(), "--day-check",
        "--at", "2026-06-02T09:00:00Z");
    assertThat(partial.status()).isEqualTo(2);
    List<String> printed = new ArrayList<>();
    for (String line : partial.out().strip().lines().toList()) {
      printed.add(JSON.readTree(line).get("patient").asText());
    }
    assertThat(printed).containsExactlyElementsOf(expectedOrder.stream().filter(p -> !p.equals(later)).toList());
    assertThat(partial.err()).contains("error: patient " + later + ": ")
        .contains("1 of 3 patients could not be checked: " + later);

    // two active plans for one patient: an error naming that patient, never a warning with exit status 0
    String duplicate = seeded.secondActivePlan(hold);
    CourseCommandTest.Run twoPlans = CourseCommandTest.run("assess", "--fhir-base", server.baseUrl(), "--day-check",
        "--at", "2026-06-02T09:00:00Z");
    assertThat(twoPlans.status()).isEqualTo(2);
    assertThat(twoPlans.out()).doesNotContain("\"patient\":\"" + hold + "\"").contains("\"patient\":\"" + go + "\"");
    assertThat(twoPlans.err()).contains("error: patient " + hold + ": patient " + hold + " has 2 active ketamine "
        + "plans: ").contains(duplicate).contains("resolve in the EHR").doesNotContain("warning");
  }

  @Test
  void aSearchThatFailedExitsWithTwoAndPrintsNothing() {
    CourseCommandTest.Run run = CourseCommandTest.run("assess", "--fhir-base", server.baseUrl() + "/no-such-path",
        "--day-check", "--at", "2026-06-02T09:00:00Z", "--max-retries", "0");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("the active courses could not be searched");
  }

  private static int total() {
    int total = 0;
    for (String type : List.of("CarePlan", "Goal", "RiskAssessment", "Provenance", "Observation")) {
      total += server.client().search().forResource(type).summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
          .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getTotal();
    }
    return total;
  }
}
