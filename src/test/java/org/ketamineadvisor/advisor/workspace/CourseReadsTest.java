package org.ketamineadvisor.advisor.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.fhir.mapping.MappedRecord;
import org.ketamineadvisor.advisor.course.CourseOutcome;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;

/**
 * The workspace's course for every door on a real HAPI JPA chart: the progress with the baseline of the signed
 * assessment and the record's pain scores, the day check, and a refusal — never a course built on a read that
 * failed or was not granted.
 */
class CourseReadsTest {

  private static final String BASE = EmbeddedFhirServer.shared().baseUrl();
  private static final SeededCourses SEEDED = new SeededCourses(BASE);

  private static OpenedPatient open(String patient, LocalDate asOf, ChartAccess access) {
    return LiveChart.workspace().open(new PatientWorkspace.Launch(BASE, patient, "token", asOf, access));
  }

  @Test
  void theProgressReadsTheSignedBaselineAndThePainScoresOfTheRecord() {
    String patient = SEEDED.signed("8", null);
    List<LocalDate> sessions = SEEDED.sessions(patient);
    SEEDED.administer(patient, sessions);
    LocalDate last = sessions.get(sessions.size() - 1);
    SEEDED.pain(patient, last.plusWeeks(1) + "T10:00:00Z", "5");
    LocalDate today = last.plusWeeks(2);
    CourseProgress progress = LiveChart.workspace().progress(open(patient, today, LiveChart.FULL), today);
    assertThat(progress.status()).isEqualTo(CourseProgress.Status.FOLLOWING_UP);
    assertThat(progress.baseline().score()).isEqualByComparingTo("8");
    assertThat(progress.baseline().date()).isEqualTo(LocalDate.of(2026, 5, 25));
    assertThat(progress.followUps().get(0).reductionPercent()).isEqualByComparingTo("37.5");
    assertThat(progress.followUps().get(0).response()).isEqualTo(CourseOutcome.Response.MODERATE);

    AssessmentMoment moment = new AssessmentMoment(Clock.fixed(Instant.parse(last + "T08:00:00Z"), ZoneOffset.UTC),
        ZoneOffset.UTC, null);
    DayCheck check = LiveChart.workspace().dayCheck(open(patient, last, LiveChart.FULL), moment).orElseThrow();
    assertThat(check.session()).isEqualTo(10);
    assertThat(check.decision()).isEqualTo(DayCheck.Decision.HOLD); // no vital signs this morning
  }

  @Test
  void noCourseWithoutASignedPlan() {
    String patient = SEEDED.unsigned();
    OpenedPatient opened = open(patient, SeededCourses.SIGNED_AS_OF, LiveChart.FULL);
    assertThat(LiveChart.workspace().progress(opened, SeededCourses.SIGNED_AS_OF)).isEqualTo(CourseProgress.noCourse());
    assertThat(LiveChart.workspace().dayCheck(opened, new AssessmentMoment(Clock.systemUTC(), ZoneOffset.UTC,
        SeededCourses.SIGNED_AS_OF))).isEmpty();
  }

  @Test
  void aReadNotGrantedOrFailedIsRefusedNeverCountedAsNone() {
    String patient = SEEDED.signed(null, null);
    AssessmentMoment moment = new AssessmentMoment(Clock.systemUTC(), ZoneOffset.UTC, SeededCourses.SIGNED_AS_OF);
    OpenedPatient noAdministrations = open(patient, SeededCourses.SIGNED_AS_OF, new ChartAccess(true, true, true,
        false));
    assertThatThrownBy(() -> LiveChart.workspace().progress(noAdministrations, SeededCourses.SIGNED_AS_OF))
        .isInstanceOf(CourseUnreadable.class).hasMessageContaining("medication administration record");
    assertThatThrownBy(() -> LiveChart.workspace().dayCheck(noAdministrations, moment))
        .isInstanceOf(CourseUnreadable.class);
    OpenedPatient noChart = open(patient, SeededCourses.SIGNED_AS_OF, ChartAccess.NONE);
    assertThatThrownBy(() -> LiveChart.workspace().progress(noChart, SeededCourses.SIGNED_AS_OF))
        .isInstanceOf(CourseUnreadable.class).hasMessageContaining("care plans");
    OpenedPatient noGoals = open(patient, SeededCourses.SIGNED_AS_OF, new ChartAccess(true, true, false, true));
    assertThatThrownBy(() -> LiveChart.workspace().progress(noGoals, SeededCourses.SIGNED_AS_OF))
        .isInstanceOf(CourseUnreadable.class).hasMessageContaining("goals");
  }

  @Test
  void aRecordReadInPartIsRefusedByTheDayCheckAsByTheProgress() {
    String patient = SEEDED.signed("8", null);
    LocalDate first = SEEDED.sessions(patient).get(0);
    SEEDED.normalMorning(patient, first + "T07:30:00Z");
    AssessmentMoment moment = new AssessmentMoment(Clock.fixed(Instant.parse(first + "T08:00:00Z"), ZoneOffset.UTC),
        ZoneOffset.UTC, null);
    OpenedPatient full = open(patient, first, LiveChart.FULL);
    assertThat(LiveChart.workspace().dayCheck(full, moment)).isPresent();
    // the Condition read failed: DAY-NEW-CONTRAINDICATION would re-check a record without its conditions
    OpenedPatient inPart = withReadProblem(full, new ReadProblem("Condition", "HTTP 403 scope not granted"));
    assertThatThrownBy(() -> LiveChart.workspace().dayCheck(inPart, moment))
        .isInstanceOf(CourseUnreadable.class).hasMessageContaining("Condition");
    assertThatThrownBy(() -> LiveChart.workspace().progress(inPart, first))
        .isInstanceOf(CourseUnreadable.class).hasMessageContaining("Condition");
  }

  private static OpenedPatient withReadProblem(OpenedPatient opened, ReadProblem problem) {
    PatientRecord r = opened.record();
    PatientRecord inPart = new PatientRecord(r.patient(), r.conditions(), r.medications(), r.observations(),
        r.allergies(), List.of(problem));
    return new OpenedPatient(opened.fhirBase(), opened.patientId(), opened.asOf(),
        new MappedRecord(inPart, opened.mapped().problems()), opened.banner(), opened.missingForWriting(),
        opened.chart());
  }
}
