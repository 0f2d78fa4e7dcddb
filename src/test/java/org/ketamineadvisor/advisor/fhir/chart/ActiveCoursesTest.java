package org.ketamineadvisor.advisor.fhir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.workspace.SeededCourses;

/**
 * The search for every active course against a real HAPI JPA server: every page followed, the included Patient's
 * name and birth date, completed plans and unsigned patients left out, two active plans for one patient reported,
 * and a failed search thrown rather than answered with a short list.
 */
class ActiveCoursesTest {

  private static final FhirConnections CONNECTIONS = new FhirConnections(FhirContext.forR4Cached(),
      FhirClientSettings.defaults().withRetries(0, FhirClientSettings.defaults().initialBackoff(),
          FhirClientSettings.defaults().maxWait()), 8);

  @AfterAll
  static void close() {
    CONNECTIONS.close();
  }

  @Test
  void everyActivePlanOfThisAppOnEveryPageWithItsPatientAndTheNewestOfTwoReported() throws ReadFailure {
    String base = EmbeddedFhirServer.shared().baseUrl();
    SeededCourses seeded = new SeededCourses(base);
    String first = seeded.signed(null, null);
    String second = seeded.signed(null, null);
    String twice = seeded.signed(null, null);
    String duplicate = seeded.secondActivePlan(twice);
    String completed = seeded.signed(null, null);
    seeded.complete(completed);
    String unsigned = seeded.unsigned();

    // a page of 2 plans: the five active plans of this test alone take three pages
    List<ActiveCourse> found = new ActiveCourses(CONNECTIONS, 2).find(base, "token");
    assertThat(found).extracting(ActiveCourse::patientId).isSorted().doesNotHaveDuplicates()
        .contains(first, second, twice).doesNotContain(completed, unsigned);
    Map<String, ActiveCourse> byPatient = found.stream()
        .collect(Collectors.toMap(ActiveCourse::patientId, Function.identity()));
    ActiveCourse one = byPatient.get(first);
    assertThat(one.name()).isEqualTo("Maria Elena Costa");
    assertThat(one.birthDate()).isEqualTo(LocalDate.of(1978, 3, 14));
    assertThat(one.plan().status()).isEqualTo("active");
    assertThat(one.plan().sessions()).hasSize(10);
    assertThat(one.activePlans()).isEqualTo(1);
    assertThat(one.problem()).isNull();

    ActiveCourse two = byPatient.get(twice);
    assertThat(two.activePlans()).isEqualTo(2);
    assertThat(two.plan().id()).as("the newest is followed").isEqualTo(duplicate);
    assertThat(two.problem()).contains("2 active ketamine plans").contains(duplicate).contains("only one may be active")
        .contains("resolve in the EHR; not checked").doesNotContain("is followed");

    // the same with the default page size
    assertThat(new ActiveCourses(CONNECTIONS).find(base, "token")).extracting(ActiveCourse::patientId)
        .isEqualTo(found.stream().map(ActiveCourse::patientId).toList());
  }

  @Test
  void aSearchThatFailsThrowsInsteadOfAnsweringWithAnEmptyList() {
    assertThatThrownBy(() -> new ActiveCourses(CONNECTIONS).find("http://localhost:1/fhir", "token"))
        .isInstanceOf(ReadFailure.class);
    String base = EmbeddedFhirServer.shared().baseUrl();
    assertThatThrownBy(() -> new ActiveCourses(CONNECTIONS).find(base + "/no-such-path", "token"))
        .isInstanceOf(ReadFailure.class);
  }
}
