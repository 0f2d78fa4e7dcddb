package org.ketamineadvisor.advisor.course;

import java.time.LocalDate;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.course.CourseOutcome.FollowUp;
import org.ketamineadvisor.advisor.course.CourseOutcome.Standing;
import org.ketamineadvisor.advisor.course.OutcomeCalculator.Pain;

/**
 * The course as data (CLINICAL-RULES § 8.1 and § 8.3) as of one day, for a scheduler, a registry, an audit or the
 * clinic's list: where the course is ({@link Status}), the sessions planned and given (§ 8.1: on a session day of
 * the plan, on or before today), the last session given (null when none), the baseline pain score (null when there
 * is no course, or the signed assessment had none: the responses are then not computable), the 1-, 4- and 12-week
 * follow-ups counted from the last session <em>given</em> (empty until a session was given) and the standing from
 * the 12-week follow-up (null when there is no course; with no session given, {@code PENDING} while a planned
 * session day remains, today or later, and {@code UNKNOWN} once none does: no follow-up will ever be counted).
 */
public record CourseProgress(Status status, int sessions, int sessionsGiven, LocalDate lastSession,
    PainScore baseline, List<FollowUp> followUps, Standing standing) {

  public CourseProgress {
    if (status == null || status != Status.NO_COURSE && standing == null) {
      throw new IllegalArgumentException("a course's progress needs its status and, for a course, its standing");
    }
    followUps = List.copyOf(followUps);
  }

  /** Where a course is. */
  public enum Status {
    /** No plan of this app in force or completed. */
    NO_COURSE("no-course"),
    /** The plan is active, fewer sessions were given than planned and a planned session day remains (today or later). */
    IN_PROGRESS("in-progress"),
    /** The plan is active and no planned session day remains, or every planned session was given. */
    FOLLOWING_UP("following-up"),
    /** The plan's status is completed: the clinician confirmed the 12-week standing. */
    COMPLETED("completed");

    private final String code;

    Status(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** No course to follow: nothing planned, given or due, and no standing. */
  public static CourseProgress noCourse() {
    return new CourseProgress(Status.NO_COURSE, 0, 0, null, null, List.of(), null);
  }

  /**
   * The progress of the signed {@code plan} as of {@code today}.
   *
   * @param planCompleted the plan's status is completed (else it is active)
   * @param administrations the patient's ketamine administrations (§ 8.1)
   * @param baseline the pain score the signed assessment used; null when it had none
   * @param scores the patient's pain scores ({@link PainScores}); those after today are not read
   */
  public static CourseProgress of(CoursePlan plan, boolean planCompleted, List<Administration> administrations,
      PainScore baseline, List<Pain> scores, LocalDate today) {
    List<LocalDate> given = SessionsGiven.of(plan, administrations).stream().filter(d -> !d.isAfter(today)).toList();
    CourseOutcome outcome = OutcomeCalculator.of(baseline, given, scores, today);
    boolean dayRemains = plan.sessions().stream().anyMatch(d -> !d.isBefore(today));
    Status status = planCompleted ? Status.COMPLETED
        : given.size() < plan.sessions().size() && dayRemains ? Status.IN_PROGRESS : Status.FOLLOWING_UP;
    return new CourseProgress(status, plan.sessions().size(), given.size(),
        given.isEmpty() ? null : given.get(given.size() - 1), baseline,
        outcome == null ? List.of() : outcome.followUps(), outcome != null ? outcome.standing()
        : dayRemains ? Standing.PENDING : Standing.UNKNOWN);
  }
}
