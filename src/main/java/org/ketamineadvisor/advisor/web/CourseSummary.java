package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.course.CourseOutcome;
import org.ketamineadvisor.advisor.course.CoursePlan;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.course.InfusionDayCheck;
import org.ketamineadvisor.advisor.course.OutcomeCalculator;
import org.ketamineadvisor.advisor.course.SessionsGiven;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpUpdate;

/**
 * The course after signing (CLINICAL-RULES § 8) as the page shows it: on a session day "Session 3 of 10 — GO" or
 * "HOLD" with each check, its reading and how long ago, and for a hold the next steps; on another day the next
 * session's date; the sessions given against the plan; the outcome at each follow-up (baseline, score, reduction,
 * response); what a confirmation would write; and the standing after 12 weeks — or, when part of the record could
 * not be read, why the outcome is not shown ({@code outcomeWithheld}): a score that was not read is not "pending"
 * or "missing", and a confirmation is never offered on it. Times are in the site's time zone
 * with their UTC offset ({@code checkedAt}: the moment of the check). Built only when the chart holds an active
 * signed plan with its session dates.
 */
record CourseSummary(String heading, String decision, String checkedAt, List<CheckView> checks,
    List<String> nextSteps, String dose, String given, String problem, OutcomeView outcome, FollowUpUpdate update,
    String updateLabel, boolean recorded, String outcomeWithheld) {

  /** "09:00 (UTC+02:00)": the offset of that instant in the zone, so a time either side of a DST change is right. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm '(UTC'xxx')'");

  record CheckView(String id, String title, String result, String reading, String when, String detail) {}

  record OutcomeView(String baseline, List<FollowUpView> rows, String standing, String meaning) {}

  record FollowUpView(String label, String due, String window, String score, String reduction, String response) {}

  /** The course of the plan in force, or null when there is none to follow (no active plan with session dates). */
  static CourseSummary of(OpenedPatient opened, Assessment today, PainScore baseline, List<OutcomeCalculator.Pain> pain,
      InfusionDayCheck checker, Instant now) {
    ChartState chart = opened.chart();
    ExistingPlan plan = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.plan(chart).orElse(null);
    CoursePlan course = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.of(chart).orElse(null);
    if (course == null) {
      return null;
    }
    Set<RuleId> contraindicationsNow = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.contraindications(today);
    DayCheck day = checker.check(course, today.patient(), opened.record().observations(), chart.administrations(),
        contraindicationsNow, now);
    ZoneId zone = day.zone();
    List<LocalDate> given = SessionsGiven.of(course, chart.administrations()).stream()
        .filter(d -> !d.isAfter(day.day())).toList();
    String heading;
    LocalDate lastPlanned = course.sessions().get(course.sessions().size() - 1);
    boolean over = day.day().isAfter(lastPlanned) || given.size() == course.sessions().size()
        && day.decision() == DayCheck.Decision.NOT_A_SESSION_DAY;
    if (over) {
      // past the last session day with sessions missing, the course is not "complete": it has no session left
      heading = (given.size() == course.sessions().size() ? "Course complete — " : "The course has no session left — ")
          + given.size() + " of " + course.sessions().size() + " sessions given";
    } else if (day.decision() == DayCheck.Decision.NOT_A_SESSION_DAY) {
      heading = "No session today — " + (day.nextSession() == null ? "the course has no session left"
          : "next session " + PlanDates.day(day.nextSession()) + " (session "
              + course.sessionNumber(day.nextSession()) + " of " + course.sessions().size() + ")")
          + "; " + given.size() + " of " + course.sessions().size() + " sessions given";
    } else {
      heading = "Session " + day.session() + " of " + day.sessions() + " — " + day.decision().code().toUpperCase();
    }
    List<CheckView> checks = new ArrayList<>();
    List<String> nextSteps = new ArrayList<>();
    for (DayCheck.Check c : day.checks()) {
      String when = c.readAt() == null ? null
          : (c.readAt().atZone(zone).toLocalDate().equals(day.day()) ? "" : c.readAt().atZone(zone).toLocalDate() + " ")
              + time(c.readAt(), zone) + ", " + ago(Duration.between(c.readAt(), now));
      checks.add(new CheckView(c.id(), c.title(), c.result().code(), c.reading(), when, c.detail()));
      if (c.result() == DayCheck.Result.HOLD && c.nextStep() != null && !nextSteps.contains(c.nextStep())) {
        nextSteps.add(c.nextStep());
      }
    }
    // the zone's name too, unless it is a bare offset (UTC by default): "10:00 (UTC+02:00, Europe/Zurich)"
    ZonedDateTime checked = now.atZone(zone);
    String checkedAt = checked.format(DateTimeFormatter.ofPattern("HH:mm")) + " (UTC" + checked.format(
        DateTimeFormatter.ofPattern("xxx")) + (zone instanceof ZoneOffset ? "" : ", " + zone.getId()) + ") on "
        + PlanDates.day(day.day());
    String dose = day.doseMg() + " mg over " + DecisionSummary.duration(course.minutesPerSession()) + " at "
        + day.rateMgPerHour().stripTrailingZeros().toPlainString() + " mg/h = " + day.rateMlPerHour().toPlainString()
        + " mL/h";
    String givenWords = given.size() + " of " + course.sessions().size() + " sessions given"
        + (given.isEmpty() ? "" : ": " + String.join(", ", PlanDates.days(given)));
    // the outcome is followed once the course is over (its follow-ups count from the last session given)
    // without a baseline the page shows no outcome (the course as data says not-computable for each score)
    String withheld = over && !opened.readComplete() ? outcomeWithheld(opened) : null;
    CourseOutcome outcome = !over || baseline == null || withheld != null ? null
        : OutcomeCalculator.of(baseline, SessionsGiven.of(course, chart.administrations()), pain, day.day());
    OutcomeView outcomeView = outcome == null ? null : outcomeView(outcome);
    ExistingGoal goal = org.ketamineadvisor.advisor.fhir.chart.SignedCourse.goal(chart).orElse(null);
    FollowUpUpdate update = outcome == null || goal == null ? null : update(outcome, course, day.day());
    boolean recorded = update != null && goal != null && isRecorded(update, goal, plan);
    String label = update == null ? null : update.goalCompleted()
        ? "Confirm the 12-week outcome and complete the plan" : "Confirm the follow-up and record it in the chart";
    return new CourseSummary(heading, day.decision().code(), checkedAt, checks,
        day.decision() == DayCheck.Decision.HOLD ? nextSteps : List.of(), dose, givenWords, chart.courseProblem(),
        outcomeView, update, label, recorded, withheld);
  }

  /** Why the outcome is not shown: the record was read in part, so its scores and baseline are not known. */
  static String outcomeWithheld(OpenedPatient opened) {
    return "Part of the record could not be read (" + String.join("; ", opened.readProblems().stream()
        .map(p -> p.resourceType() + ": " + p.reason()).toList()) + "): the follow-up scores and the baseline are "
        + "not known, so the outcome is not shown and a follow-up cannot be confirmed. Reload the page to read the "
        + "record again.";
  }

  /** "09:00 (UTC+02:00)" in the site's zone. */
  static String time(Instant at, ZoneId zone) {
    return at.atZone(zone).format(TIME);
  }

  private static OutcomeView outcomeView(CourseOutcome o) {
    List<FollowUpView> rows = new ArrayList<>();
    for (CourseOutcome.FollowUp f : o.followUps()) {
      String score = f.score() == null ? (f.open() ? "not yet" : "none in the window")
          : f.score().stripTrailingZeros().toPlainString() + " on " + f.scoreDate();
      rows.add(new FollowUpView(f.weeks() + (f.weeks() == 1 ? " week" : " weeks"), PlanDates.day(f.due()),
          f.from() + " to " + f.to(), score, f.reductionPercent() == null ? "—" : f.reductionPercent().toPlainString()
              + " %", f.response().scored() ? f.response().words() : f.response().code()));
    }
    BigDecimal target = new PainScore(o.baseline(), o.baselineDate(), null).responseTarget();
    String baseline = "Baseline " + o.baseline().stripTrailingZeros().toPlainString() + " (" + o.baselineDate() + ")"
        + (target == null ? "" : " → response if " + target.toPlainString() + " or less");
    return new OutcomeView(baseline, rows, o.standing().code(), o.standing().meaning());
  }

  /** What confirming the latest follow-up with a score would write; null when none has a score yet. */
  static FollowUpUpdate update(CourseOutcome o, CoursePlan plan, LocalDate today) {
    CourseOutcome.FollowUp latest = null;
    List<String> scores = new ArrayList<>();
    for (CourseOutcome.FollowUp f : o.followUps()) {
      if (f.score() != null) {
        latest = f;
        scores.add(f.scoreReference());
      }
    }
    if (latest == null) {
      return null;
    }
    boolean twelve = latest.weeks() == 12;
    String achievement = !twelve || latest.response() == CourseOutcome.Response.NOT_COMPUTABLE ? "in-progress"
        : latest.response().responded() ? "achieved" : "not-achieved";
    boolean sessionsOver = today.isAfter(plan.sessions().get(plan.sessions().size() - 1));
    String summary = latest.weeks() + "-week follow-up: pain " + latest.score().stripTrailingZeros().toPlainString()
        + " on " + latest.scoreDate() + " against baseline " + o.baseline().stripTrailingZeros().toPlainString()
        + (latest.reductionPercent() == null ? "" : " (" + latest.reductionPercent().toPlainString() + " % lower)")
        + ": " + latest.response().words() + (twelve ? "; " + o.standing().code() : "");
    return new FollowUpUpdate(achievement, twelve, scores, sessionsOver, twelve, summary);
  }

  /** The chart already holds what the confirmation would write. */
  private static boolean isRecorded(FollowUpUpdate update, ExistingGoal goal, ExistingPlan plan) {
    boolean goalDone = update.achievement().equals(goal.achievement())
        && (!update.goalCompleted() || "completed".equals(goal.lifecycle()))
        && goal.outcomes() >= update.scores().size();
    boolean planDone = !update.planCompleted() || "completed".equals(plan.status());
    return goalDone && planDone;
  }

  private static String ago(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    if (minutes >= 48 * 60) {
      return minutes / (24 * 60) + " days ago";
    }
    return minutes < 60 ? minutes + " min ago" : minutes / 60 + " h " + minutes % 60 + " min ago";
  }
}
