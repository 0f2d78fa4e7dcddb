package org.ketamineadvisor.advisor.web;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.InfusionDayCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.sandbox.FixtureLoader;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The course section's words (rule set v1.1 § 8.2) for the course-hold story on a real HAPI JPA chart: a Zurich
 * clinic, its plan signed on 2026-05-26, this morning's BP 188/102 at 09:25 local time. Times in the site's zone
 * with their UTC offset, one HOLD row for the one reading, its next step, and the next session on a day off.
 */
class CourseSummaryTest {

  private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
  private static final AtomicInteger COPIES = new AtomicInteger();
  private static final ValueSetTerminology TERMINOLOGY = ValueSetTerminology.loadDefault();
  private static final UcumUnitConverter UNITS = new UcumUnitConverter();
  private static final PatientWorkspace WORKSPACE = PatientWorkspace.forR4(TERMINOLOGY, UNITS,
      FhirClientSettings.defaults());
  private static final ChartAccess FULL = new ChartAccess(true, true);
  private static final InfusionDayCheck IN_ZURICH = new InfusionDayCheck(TERMINOLOGY, UNITS,
      SiteSettings.defaults().withTimeZone(ZURICH));

  private static String patient;

  @BeforeAll
  static void signTheCourseAndRecordThisMorning() throws IOException {
    String base = EmbeddedFhirServer.shared().baseUrl();
    patient = copyOf("course-hold", base);
    LocalDate signedAsOf = LocalDate.of(2026, 5, 26);
    OpenedPatient opened = WORKSPACE.open(new PatientWorkspace.Launch(base, patient, "token", signedAsOf, FULL));
    var signed = WORKSPACE.sign(opened, WORKSPACE.assess(opened, List.of(), PlanRequest.defaults()),
        new PatientWorkspace.Signing("Practitioner/dr-ada", "Dr Ada Lovelace",
            signedAsOf.atTime(16, 0).toInstant(ZoneOffset.UTC), "test", "token", FULL, null, false));
    assertThat(signed.succeeded()).as(signed.failure()).isTrue();
    // 07:25 UTC = 09:25 in Zurich (summer time, UTC+02:00)
    Bundle morning = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Observation bp = vital("85354-9", null);
    bp.addComponent(new Observation.ObservationComponentComponent(loinc("8480-6")).setValue(mmHg(188)));
    bp.addComponent(new Observation.ObservationComponentComponent(loinc("8462-4")).setValue(mmHg(102)));
    morning.addEntry().setResource(bp).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    morning.addEntry().setResource(vital("8867-4", new Quantity(84).setUnit("/min").setCode("/min")))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    morning.addEntry().setResource(vital("59408-5", new Quantity(96).setUnit("%").setCode("%")))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    FhirContext.forR4Cached().newRestfulGenericClient(base).transaction().withBundle(morning).execute();
  }

  private static CourseSummary courseAt(Instant now) {
    String base = EmbeddedFhirServer.shared().baseUrl();
    LocalDate today = now.atZone(ZURICH).toLocalDate();
    OpenedPatient opened = WORKSPACE.open(new PatientWorkspace.Launch(base, patient, "token", today, FULL));
    Assessment assessment = WORKSPACE.assess(opened, List.of(), PlanRequest.defaults()).assessment();
    PainScore baseline = WORKSPACE.assessmentAsOf(opened, opened.chart().signed().asOf()).painBaseline();
    return CourseSummary.of(opened, assessment, baseline, List.of(), IN_ZURICH, now);
  }

  @Test
  void aHoldDayShowsTimesInTheSitesZoneWithTheOffsetAndOneHoldWithItsNextStep() {
    CourseSummary course = courseAt(Instant.parse("2026-06-01T08:00:00Z"));
    assertThat(course.heading()).isEqualTo("Session 4 of 10 — HOLD");
    assertThat(course.checkedAt()).isEqualTo("10:00 (UTC+02:00, Europe/Zurich) on Mon 2026-06-01");
    CourseSummary.CheckView bp = course.checks().get(0);
    assertThat(bp.id()).isEqualTo("DAY-BP");
    assertThat(bp.reading()).isEqualTo("BP 188/102 mmHg");
    assertThat(bp.when()).isEqualTo("09:25 (UTC+02:00), 35 min ago");
    // the re-run finds uncontrolled hypertension on the same reading: one HOLD row, not two
    assertThat(course.checks()).filteredOn(c -> c.result().equals("hold")).extracting(CourseSummary.CheckView::id)
        .containsExactly("DAY-BP");
    assertThat(bp.detail()).contains("also new since signing (DAY-NEW-CONTRAINDICATION, held here once): "
        + "Uncontrolled hypertension");
    assertThat(course.nextSteps()).containsExactly("rest 15 minutes and measure BP again; if still above 180/100 "
        + "mmHg, do not start the session and call the physician");
  }

  @Test
  void aDayWithoutASessionNamesTheNextSessionAndItsWeekday() {
    // Saturday 2026-05-30 in Zurich; sessions 1-3 were not documented in this copy
    CourseSummary course = courseAt(Instant.parse("2026-05-30T08:00:00Z"));
    assertThat(course.heading())
        .isEqualTo("No session today — next session Mon 2026-06-01 (session 4 of 10); 0 of 10 sessions given");
    assertThat(course.nextSteps()).isEmpty();
  }

  @Test
  void afterTheLastSessionDayWithSessionsMissingTheCourseHasNoSessionLeft() {
    CourseSummary course = courseAt(Instant.parse("2026-06-15T08:00:00Z"));
    assertThat(course.heading()).isEqualTo("The course has no session left — 0 of 10 sessions given");
  }

  @Test
  void aTwelveWeekWindowClosedWithoutAScoreMakesTheStandingUnknownNotPendingForEver() {
    var seeded = new org.ketamineadvisor.advisor.workspace.SeededCourses(EmbeddedFhirServer.shared().baseUrl());
    String course = seeded.signed("8", null);
    seeded.administer(course, seeded.sessions(course)); // the last on 2026-06-15: 12 weeks due 2026-09-07
    // the window closes on 2026-09-21 (due + 14 days): still open that day, closed the next
    CourseSummary.OutcomeView open = outcomeAt(course, Instant.parse("2026-09-21T10:00:00Z"));
    assertThat(open.standing()).isEqualTo("pending");
    assertThat(open.meaning()).isEqualTo("The 12-week follow-up is not done yet.");
    assertThat(open.rows().get(2).score()).isEqualTo("not yet");
    assertThat(open.rows().get(2).response()).isEqualTo("pending");
    CourseSummary.OutcomeView closed = outcomeAt(course, Instant.parse("2026-09-22T10:00:00Z"));
    assertThat(closed.standing()).isEqualTo("unknown");
    assertThat(closed.meaning()).startsWith("Unknown: no pain score was recorded in the 12-week follow-up window");
    assertThat(closed.rows()).extracting(CourseSummary.FollowUpView::response)
        .containsExactly("missing", "missing", "missing");
    assertThat(closed.rows().get(2).score()).isEqualTo("none in the window");
  }

  @Test
  void aRecordReadInPartShowsNoOutcomeAndOffersNoConfirmation() {
    var seeded = new org.ketamineadvisor.advisor.workspace.SeededCourses(EmbeddedFhirServer.shared().baseUrl());
    String course = seeded.signed("8", null);
    seeded.administer(course, seeded.sessions(course)); // the last on 2026-06-15: 1 week due 2026-06-22
    seeded.pain(course, "2026-06-22T10:00:00Z", "4");
    Instant now = Instant.parse("2026-06-25T10:00:00Z");
    OpenedPatient full = WORKSPACE.open(new PatientWorkspace.Launch(EmbeddedFhirServer.shared().baseUrl(), course,
        "token", LocalDate.of(2026, 6, 25), FULL));
    CourseSummary complete = summaryAt(full, now);
    assertThat(complete.outcome()).isNotNull();
    assertThat(complete.update()).as("a follow-up to confirm").isNotNull();
    assertThat(complete.outcomeWithheld()).isNull();

    var r = full.record();
    OpenedPatient inPart = new OpenedPatient(full.fhirBase(), full.patientId(), full.asOf(),
        new org.ketamineadvisor.advisor.fhir.mapping.MappedRecord(new org.ketamineadvisor.advisor.assessment
            .PatientRecord(r.patient(), r.conditions(), r.medications(), r.observations(), r.allergies(),
            List.of(new org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem("Observation",
                "HTTP 503"))), List.of()), full.banner(), full.missingForWriting(), full.chart());
    CourseSummary withheld = summaryAt(inPart, now);
    assertThat(withheld.outcome()).as("no pending, missing or unknown shown as facts").isNull();
    assertThat(withheld.update()).as("no confirmation offered").isNull();
    assertThat(withheld.outcomeWithheld()).contains("Observation: HTTP 503")
        .contains("a follow-up cannot be confirmed");
  }

  private static CourseSummary summaryAt(OpenedPatient opened, Instant now) {
    Assessment assessment = WORKSPACE.assess(opened, List.of(), PlanRequest.defaults()).assessment();
    PainScore baseline = WORKSPACE.assessmentAsOf(opened, opened.chart().signed().asOf()).painBaseline();
    var pain = org.ketamineadvisor.advisor.course.PainScores.of(opened.record().observations(), TERMINOLOGY);
    return CourseSummary.of(opened, assessment, baseline, pain, new InfusionDayCheck(TERMINOLOGY, UNITS,
        SiteSettings.defaults()), now);
  }

  private static CourseSummary.OutcomeView outcomeAt(String course, Instant now) {
    String base = EmbeddedFhirServer.shared().baseUrl();
    OpenedPatient opened = WORKSPACE.open(new PatientWorkspace.Launch(base, course, "token",
        now.atZone(ZoneOffset.UTC).toLocalDate(), FULL));
    Assessment assessment = WORKSPACE.assess(opened, List.of(), PlanRequest.defaults()).assessment();
    PainScore baseline = WORKSPACE.assessmentAsOf(opened, opened.chart().signed().asOf()).painBaseline();
    InfusionDayCheck inUtc = new InfusionDayCheck(TERMINOLOGY, UNITS, SiteSettings.defaults());
    return CourseSummary.of(opened, assessment, baseline, List.of(), inUtc, now).outcome();
  }

  @Test
  void eachTimeCarriesItsOwnOffsetAcrossTheDaylightSavingChange() {
    // Zurich moves from UTC+01:00 to UTC+02:00 at 01:00 UTC on 2026-03-29
    assertThat(CourseSummary.time(Instant.parse("2026-03-29T00:30:00Z"), ZURICH)).isEqualTo("01:30 (UTC+01:00)");
    assertThat(CourseSummary.time(Instant.parse("2026-03-29T01:30:00Z"), ZURICH)).isEqualTo("03:30 (UTC+02:00)");
    assertThat(CourseSummary.time(Instant.parse("2026-03-29T01:30:00Z"), ZoneOffset.UTC))
        .isEqualTo("01:30 (UTC+00:00)");
  }

  // ---- builders --------------------------------------------------------------------------------

  /** The showcase patient under a new id (every id of its file prefixed), so no other test meets it. */
  private static String copyOf(String showcase, String base) throws IOException {
    String prefix = "cs" + COPIES.incrementAndGet() + "-" + ProcessHandle.current().pid() + "-";
    String json = Files.readString(Path.of("launch/sandbox/" + showcase + ".json"));
    Path file = Files.createTempFile("course-summary-", ".json");
    try {
      Files.writeString(file, json.replace("\"" + showcase, "\"" + prefix + showcase)
          .replace("/" + showcase, "/" + prefix + showcase));
      new FixtureLoader(base).load(file);
    } finally {
      Files.delete(file);
    }
    return prefix + showcase;
  }

  private static Observation vital(String code, Quantity value) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(loinc(code));
    o.setSubject(new Reference("Patient/" + patient));
    o.setEffective(new DateTimeType("2026-06-01T07:25:00Z"));
    if (value != null) {
      o.setValue(value.setSystem("http://unitsofmeasure.org"));
    }
    return o;
  }

  private static CodeableConcept loinc(String code) {
    return new CodeableConcept(new Coding("http://loinc.org", code, null));
  }

  private static Quantity mmHg(int value) {
    return new Quantity(value).setUnit("mmHg").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]");
  }
}
