package org.ketamineadvisor.advisor.workspace;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseOutcome.Standing;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourse;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic's day (issue #21): every active course of this app on one FHIR server, each in the group the day needs
 * it in. One search finds the courses (every page); only the patients a group needs are opened — today's sessions
 * (the record, for the infusion-day check) and the courses past their last session day (the progress: follow-ups
 * and standing) — a few at a time on the shared request threads. A patient whose read fails keeps its row, with what
 * could not be read; a failed search gives no rows and says why, never a list that looks complete.
 */
public final class ClinicDay {

  private static final Logger log = LoggerFactory.getLogger(ClinicDay.class);
  /** The standings a clinician confirms at the end of a course (§ 8.3). */
  private static final Set<Standing> FINAL = EnumSet.of(Standing.RESPONDER, Standing.NON_RESPONDER,
      Standing.NOT_COMPUTABLE, Standing.UNKNOWN);

  private final PatientWorkspace workspace;
  private final Executor requests;
  private final AssessmentMoment moment;
  private final int parallelOpens;

  /**
   * @param requests the shared request threads (FhirConnections)
   * @param parallelOpens how many patients are opened side by side: each open runs its own parallel requests, so
   *     a few at a time keep one clinic's list from taking every connection of the instance
   */
  public ClinicDay(PatientWorkspace workspace, Executor requests, AssessmentMoment moment, int parallelOpens) {
    if (parallelOpens < 1) {
      throw new IllegalArgumentException("at least one patient is opened at a time");
    }
    this.workspace = workspace;
    this.requests = requests;
    this.moment = moment;
    this.parallelOpens = parallelOpens;
  }

  /** Where a course stands on the clinic's day. */
  public enum Group {
    /** A session is planned today: the infusion-day check. */
    TODAY,
    /** A session is planned tomorrow. */
    TOMORROW,
    /** A follow-up is due this week, or a recorded score waits for the clinician's confirmation. */
    FOLLOW_UP_DUE,
    /** The 12-week standing is known and waits for the clinician's confirmation (the plan is still active). */
    ENDED,
    /** Every other active course: sessions on other days, follow-ups not due this week. */
    IN_COURSE
  }

  /**
   * One course on the list: the search's row, its group, and what was read for it — the day check (today), the
   * progress (today, and courses past their last session day), the Goal the plan pursues — or {@code problem}: what
   * could not be read (the group is then the one the plan alone gives); {@code unread} when the patient's record
   * could not be read at all, so that its check, follow-ups and standing are unknown.
   */
  public record Row(ActiveCourse course, Group group, DayCheck check, CourseProgress progress, ExistingGoal goal,
      String problem, boolean unread) {

    /** A row that was read (what could not be read of it, if anything, is in {@code problem}). */
    public Row(ActiveCourse course, Group group, DayCheck check, CourseProgress progress, ExistingGoal goal,
        String problem) {
      this(course, group, check, progress, goal, problem, false);
    }

    /** Whether the chart's Goal records the score of {@code followUp} (a confirmed follow-up adds an outcome). */
    public boolean recorded(FollowUp followUp) {
      if (followUp.score() == null || progress == null) {
        return false;
      }
      long scoredUpToIt = progress.followUps().stream()
          .filter(f -> f.score() != null && f.weeks() <= followUp.weeks()).count();
      return goal != null && goal.outcomes() >= scoredUpToIt;
    }

    /** A follow-up with a score the Goal does not record yet. */
    public boolean waitsForConfirmation() {
      return progress != null && progress.followUps().stream().anyMatch(f -> f.score() != null && !recorded(f));
    }
  }

  /**
   * The day as read: today and this week (Monday to Sunday) in the site's time zone, the rows in patient-id order,
   * and {@code problem} when the search itself failed (then there are no rows).
   */
  public record Day(LocalDate today, LocalDate weekStart, LocalDate weekEnd, List<Row> rows, String problem) {
    public Day {
      rows = List.copyOf(rows);
    }
  }

  /** Reads the clinic's day on {@code fhirBase}; {@code access} says what of each chart may be searched. */
  public Day read(String fhirBase, String accessToken, ChartAccess access) {
    return read(fhirBase, accessToken, access, true);
  }

  /**
   * As {@link #read(String, String, ChartAccess)}; {@code readPatients} false when the token may not read patients
   * across patients: the search then leaves the Patients out (the rows have no names) instead of being refused.
   */
  public Day read(String fhirBase, String accessToken, ChartAccess access, boolean readPatients) {
    LocalDate today = moment.today();
    LocalDate weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate weekEnd = weekStart.plusDays(6);
    List<ActiveCourse> courses;
    try {
      courses = workspace.activeCourses(fhirBase, accessToken, readPatients);
    } catch (FhirServerException e) {
      log.warn("The clinic's list could not be searched: {}", e.getClass().getSimpleName());
      return new Day(today, weekStart, weekEnd, List.of(), e.getMessage());
    }
    Row[] rows = new Row[courses.size()];
    ConcurrentLinkedQueue<Integer> toOpen = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < courses.size(); i++) {
      Group byPlan = byPlan(courses.get(i), today);
      rows[i] = new Row(courses.get(i), byPlan, null, null, null, courses.get(i).problem());
      // two active plans: which one the clinic follows is for the EHR to resolve, not for the list to guess
      boolean oneCourse = courses.get(i).activePlans() == 1;
      if (oneCourse && (byPlan == Group.TODAY || pastLastSession(courses.get(i), today))) {
        toOpen.add(i);
      }
    }
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(parallelOpens, toOpen.size()); w++) {
      workers.add(CompletableFuture.runAsync(() -> {
        for (Integer i = toOpen.poll(); i != null; i = toOpen.poll()) {
          rows[i] = opened(rows[i], fhirBase, accessToken, access, today, weekStart, weekEnd);
        }
      }, requests));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    return new Day(today, weekStart, weekEnd, List.of(rows), null);
  }

  /** The group the plan alone gives: a session today or tomorrow, else the rest (until the progress is read). */
  private static Group byPlan(ActiveCourse course, LocalDate today) {
    List<LocalDate> sessions = course.plan().sessions();
    if (sessions.contains(today)) {
      return Group.TODAY;
    }
    return sessions.contains(today.plusDays(1)) ? Group.TOMORROW : Group.IN_COURSE;
  }

  /** No planned session day remains: the follow-ups and the standing decide where the course is. */
  private static boolean pastLastSession(ActiveCourse course, LocalDate today) {
    List<LocalDate> sessions = course.plan().sessions();
    return !sessions.isEmpty() && sessions.stream().allMatch(d -> d.isBefore(today));
  }

  private Row opened(Row row, String fhirBase, String accessToken, ChartAccess access, LocalDate today,
      LocalDate weekStart, LocalDate weekEnd) {
    ActiveCourse course = row.course();
    try {
      OpenedPatient opened = workspace.open(
          new PatientWorkspace.Launch(fhirBase, course.patientId(), accessToken, today, access));
      ExistingGoal goal = SignedCourse.goal(opened.chart()).orElse(null);
      if (row.group() == Group.TODAY) {
        if (!opened.readComplete()) {
          // a record read in part gives no check at all (never a GO on what was not read): the row says what it lacked
          return new Row(course, Group.TODAY, null, null, goal, join(row.problem(), "not checked: not read "
              + "completely: " + String.join("; ", opened.readProblems().stream()
                  .map(p -> p.resourceType() + " (" + p.reason() + ")").toList())));
        }
        Optional<DayCheck> check = workspace.dayCheck(opened, moment);
        String problem = check.isPresent() ? row.problem() : join(row.problem(), "the course cannot be followed "
            + "from the chart (no session days, dose or signed assessment): no infusion-day check");
        return new Row(course, Group.TODAY, check.orElse(null), null, goal, problem);
      }
      CourseProgress progress = workspace.progress(opened, today);
      Row read = new Row(course, Group.IN_COURSE, null, progress, goal, row.problem());
      Group group = FINAL.contains(progress.standing()) ? Group.ENDED
          : read.waitsForConfirmation() || progress.followUps().stream()
              .anyMatch(f -> !f.due().isBefore(weekStart) && !f.due().isAfter(weekEnd)) ? Group.FOLLOW_UP_DUE
          : Group.IN_COURSE;
      return new Row(course, group, null, progress, goal, row.problem());
    } catch (RuntimeException e) {
      // FhirServerException, CourseUnreadable, IllegalArgumentException: the row stays, saying what was not read
      log.warn("A course of the clinic's list could not be read: {}", e.getClass().getSimpleName());
      return new Row(course, row.group(), null, null, null,
          join(row.problem(), "could not be read: " + e.getMessage()), true);
    }
  }

  private static String join(String first, String second) {
    return first == null ? second : first + "; " + second;
  }
}
