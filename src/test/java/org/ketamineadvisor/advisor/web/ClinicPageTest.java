package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.course.DayCheck.Check;
import org.ketamineadvisor.advisor.course.DayCheck.Result;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourse;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.workspace.ClinicDay;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Group;
import org.ketamineadvisor.advisor.workspace.ClinicDay.Row;

/** What the clinic's list says in its rows and when it is empty, from the day as read. */
class ClinicPageTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
  private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

  @Test
  void aSessionWithoutVitalSignsHoldsAndSaysSo() {
    DayCheck check = check(DayCheck.Decision.HOLD,
        new Check("DAY-BP", "Blood pressure within 4 hours", Result.HOLD, null, null, null, "no BP", "measure BP"),
        new Check("DAY-HR", "Heart rate within 4 hours", Result.HOLD, null, null, null, "none", null),
        new Check("DAY-SPO2", "SpO2 within 4 hours", Result.HOLD, null, null, null, "none", null));

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.TODAY, check, null, null, null));

    ClinicPage.RowView row = table(page, "today").rows().get(0);
    assertThat(row.cells()).extracting(ClinicPage.Cell::text)
        .containsExactly("2 of 10", "HOLD", "no vital signs yet", "—");
  }

  @Test
  void aHoldNamesTheReadingThatDecidedAndItsTimeInTheSitesZone() {
    Instant at = Instant.parse("2026-06-01T06:50:00Z");
    DayCheck check = check(DayCheck.Decision.HOLD,
        new Check("DAY-BP", "Blood pressure", Result.HOLD, "BP 188/102 mmHg", at, "Observation/1", "above", "rest"),
        new Check("DAY-HR", "Heart rate", Result.GO, "Heart rate 84 /min", at, "Observation/2", "ok", null));

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.TODAY, check, null, null, null));

    assertThat(table(page, "today").rows().get(0).cells()).extracting(ClinicPage.Cell::text)
        .containsExactly("2 of 10", "HOLD", "BP 188/102 mmHg", "08:50");
  }

  @Test
  void aRowThatCouldNotBeReadStaysOnTheListWithWhyAndNoGo() {
    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.TODAY, null, null, null,
        "could not be read: HTTP 500"));

    ClinicPage.RowView row = table(page, "today").rows().get(0);
    assertThat(row.problem()).contains("HTTP 500");
    assertThat(row.cells()).extracting(ClinicPage.Cell::text).contains("not checked").doesNotContain("GO");
  }

  @Test
  void anEmptyListIsNoActiveCoursesOnlyWhenNothingWasMissing() {
    ClinicDay.Day empty = new ClinicDay.Day(TODAY, TODAY, TODAY.plusDays(6), List.of(), null);

    assertThat(ClinicPage.of(empty, ZURICH, List.of()).emptyMessage()).isEqualTo("No active courses.");
    ClinicPage limited = ClinicPage.of(empty, ZURICH, List.of("The EHR did not grant user/Observation.rs: …"));
    assertThat(limited.emptyMessage()).doesNotContain("No active courses");
    assertThat(limited.problems()).hasSize(1);
    ClinicPage failed = ClinicPage.of(new ClinicDay.Day(TODAY, TODAY, TODAY.plusDays(6), List.of(), "HTTP 503"),
        ZURICH, List.of());
    assertThat(failed.complete()).isFalse();
    assertThat(failed.problems()).first().asString().contains("could not be read: HTTP 503");
  }

  @Test
  void onlyAGoDecisionShowsGoAndACautionIsShownWithIt() {
    Instant at = Instant.parse("2026-06-01T06:50:00Z");
    DayCheck notADay = check(DayCheck.Decision.NOT_A_SESSION_DAY);
    DayCheck caution = check(DayCheck.Decision.GO,
        new Check("DAY-BP", "Blood pressure", Result.GO, "BP 120/80 mmHg", at, "Observation/1", "ok", null),
        new Check("DAY-WEIGHT", "Weight", Result.CAUTION, "Weight 80 kg", at, "Observation/3", "changed", null));

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.TODAY, notADay, null, null, null),
        new Row(course("p2", "Bea Zed"), Group.TODAY, caution, null, null, null));

    ClinicPage.RowView first = table(page, "today").rows().get(0);
    assertThat(first.cells().get(1).text()).isEqualTo("not a session day in the chart");
    assertThat(first.cells()).extracting(ClinicPage.Cell::text).doesNotContain("GO");
    assertThat(first.problem()).contains("does not list today as a session day");
    assertThat(table(page, "today").rows().get(1).cells().get(1).text())
        .isEqualTo("GO (caution: Weight: Weight 80 kg)");
  }

  @Test
  void notCheckedSortsWithTheHoldsBeforeGo() {
    Instant at = Instant.parse("2026-06-01T06:50:00Z");
    DayCheck go = check(DayCheck.Decision.GO,
        new Check("DAY-BP", "Blood pressure", Result.GO, "BP 120/80 mmHg", at, "Observation/1", "ok", null));
    DayCheck hold = check(DayCheck.Decision.HOLD,
        new Check("DAY-BP", "Blood pressure", Result.HOLD, "BP 188/102 mmHg", at, "Observation/1", "above", null));

    ClinicPage page = page(new Row(course("p1", "Ada"), Group.TODAY, go, null, null, null),
        new Row(course("p2", "Bea"), Group.TODAY, hold, null, null, null),
        new Row(course("p3", "Cid"), Group.TODAY, null, null, null, "not read completely"));

    List<String> keys = table(page, "today").rows().stream().map(r -> r.cells().get(1).sortKey()).toList();
    assertThat(keys.get(2)).isLessThanOrEqualTo(keys.get(1)); // not checked ≤ HOLD
    assertThat(keys.get(1)).isLessThan(keys.get(0)); // HOLD < GO
  }

  @Test
  void aHoldFromAnotherCheckIsShownBeforeTheMissingVitalSigns() {
    Instant at = Instant.parse("2026-06-01T05:00:00Z");
    DayCheck check = check(DayCheck.Decision.HOLD,
        new Check("DAY-BP", "Blood pressure within 4 hours", Result.HOLD, null, null, null, "no BP", "measure BP"),
        new Check("DAY-HR", "Heart rate within 4 hours", Result.HOLD, null, null, null, "none", null),
        new Check("DAY-SPO2", "SpO2 within 4 hours", Result.HOLD, null, null, null, "none", null),
        new Check("DAY-HCG", "Pregnancy test", Result.HOLD, "hCG positive", at, "Observation/9", "positive", null));

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.TODAY, check, null, null, null));

    assertThat(table(page, "today").rows().get(0).cells()).extracting(ClinicPage.Cell::text)
        .containsExactly("2 of 10", "HOLD", "hCG positive; no vital signs yet", "07:00");
  }

  @Test
  void aCourseThatCouldNotBeReadIsShownFirstAndTheListIsNotComplete() {
    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.IN_COURSE, null, null, null,
        "could not be read: HTTP 500", true));

    assertThat(page.tables().get(0).id()).isEqualTo("unread");
    assertThat(page.tables().get(0).rows()).singleElement()
        .satisfies(r -> assertThat(r.problem()).contains("HTTP 500"));
    assertThat(table(page, "other").rows()).isEmpty();
    assertThat(page.complete()).isFalse();
    assertThat(page.problems()).first().asString()
        .contains("1 course could not be read: their checks, follow-ups and standing are unknown");
    assertThat(table(page, "follow-ups").empty()).doesNotContain("No follow-up due this week.")
        .contains("could not be read");
  }

  @Test
  void aRowWithoutANameShowsThePatientId() {
    ClinicPage page = page(new Row(course("p1", null), Group.IN_COURSE, null, null, null, null));

    assertThat(table(page, "other").rows().get(0).name()).contains("p1");
  }

  @Test
  void aFollowUpsResponseIsShownInWordsAsOnThePatientsPage() {
    var pending = new org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp(1, TODAY.plusDays(2), TODAY.minusDays(5),
        TODAY.plusDays(16), null, null, null, null, org.ketamineadvisor.advisor.course.CourseOutcome.Response.PENDING);
    var progress = new org.ketamineadvisor.advisor.course.CourseProgress(
        org.ketamineadvisor.advisor.course.CourseProgress.Status.FOLLOWING_UP, 10, 10, TODAY.minusDays(5), null,
        List.of(pending), org.ketamineadvisor.advisor.course.CourseOutcome.Standing.PENDING);

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.FOLLOW_UP_DUE, null, progress, null, null));

    assertThat(table(page, "follow-ups").rows().get(0).cells().get(4).text())
        .isEqualTo(org.ketamineadvisor.advisor.course.CourseOutcome.Response.PENDING.words());
  }

  @Test
  void anEndedCoursesStandingIsShownInWordsWaitingForConfirmation() {
    var twelve = new org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp(12, TODAY.minusDays(3),
        TODAY.minusDays(10), TODAY.plusDays(11), new BigDecimal("6"), TODAY.minusDays(3), "Observation/p",
        new BigDecimal("14.2"), org.ketamineadvisor.advisor.course.CourseOutcome.Response.NONE);
    var progress = new org.ketamineadvisor.advisor.course.CourseProgress(
        org.ketamineadvisor.advisor.course.CourseProgress.Status.FOLLOWING_UP, 10, 10, TODAY.minusDays(87), null,
        List.of(twelve), org.ketamineadvisor.advisor.course.CourseOutcome.Standing.NON_RESPONDER);

    ClinicPage page = page(new Row(course("p1", "Ada Zed"), Group.ENDED, null, progress, null, null));

    ClinicPage.Table ended = page.tables().stream().filter(t -> t.rows().size() == 1
        && t.rows().get(0).cells().stream().anyMatch(c -> c.text().startsWith("no response"))).findFirst()
        .orElseThrow(() -> new AssertionError("no ended row with the standing in words: " + page.tables()));
    assertThat(ended.rows().get(0).cells().stream().map(ClinicPage.Cell::text))
        .contains("no response (less than 30 % lower) — waiting for confirmation")
        .noneMatch(text -> text.equals("non-responder"));
  }

  private static ClinicPage page(Row... rows) {
    return ClinicPage.of(new ClinicDay.Day(TODAY, TODAY, TODAY.plusDays(6), List.of(rows), null), ZURICH, List.of());
  }

  private static ClinicPage.Table table(ClinicPage page, String id) {
    return page.tables().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  private static DayCheck check(DayCheck.Decision decision, Check... checks) {
    return new DayCheck(Instant.parse("2026-06-01T07:30:00Z"), ZURICH, TODAY, 2, 10, decision, List.of(checks),
        List.of(TODAY.minusDays(1)), TODAY.plusDays(1), 100, new BigDecimal("25"), new BigDecimal("25"));
  }

  private static ActiveCourse course(String patient, String name) {
    List<LocalDate> sessions = java.util.stream.IntStream.range(-1, 9).mapToObj(TODAY::plusDays).toList();
    ExistingPlan plan = new ExistingPlan("CarePlan/" + patient, "1", "active", "Ketamine", null, TODAY, TODAY,
        null, null, null, sessions, List.of(), new ExistingPlan.Dosing(100, 240, null), null, null, List.of());
    return new ActiveCourse(patient, name, LocalDate.of(1970, 1, 1), plan, 1, null);
  }
}
