package org.ketamineadvisor.advisor.fhir.chart;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.course.CoursePlan;

/**
 * The course the chart holds (§ 8): the active plan this app wrote, with its session dates and dosing, and the
 * signed assessment's date and contraindications. Shared by the page and the command line's day check.
 */
public final class SignedCourse {
  private SignedCourse() {}

  /**
   * The plan the course follows: the newest of this app's active plans, else the newest completed one (a course
   * followed to its outcome stays visible); empty when there is none. An active plan comes first whatever the
   * order of the chart's dates: a completed course last touched after a new course was signed is not the one in
   * force.
   */
  public static Optional<ExistingPlan> plan(ChartState chart) {
    Optional<ExistingPlan> active = chart.plans().stream().filter(p -> "active".equals(p.status())).findFirst();
    return active.isPresent() ? active
        : chart.plans().stream().filter(p -> "completed".equals(p.status())).findFirst();
  }

  /** The Goal the course's plan pursues, when this app wrote one and the chart holds it. */
  public static Optional<ExistingGoal> goal(ChartState chart) {
    return plan(chart).map(ExistingPlan::goal).flatMap(ref -> chart.goals().stream()
        .filter(g -> g.id().equals(ref)).findFirst());
  }

  /**
   * Why the course cannot be built from the plan it follows ({@link #plan}): the plan lists no session days, states
   * no session dose and duration, or no signed assessment of this app was found to date it and give its
   * contraindications; empty when there is no such plan (no course) or the course can be built.
   */
  public static Optional<String> unfollowable(ChartState chart) {
    ExistingPlan plan = plan(chart).orElse(null);
    if (plan == null) {
      return Optional.empty();
    }
    if (plan.sessions().isEmpty()) {
      return Optional.of("the plan " + plan.id() + " lists no session days");
    }
    if (plan.dosing() == null) {
      return Optional.of("the plan " + plan.id() + " states no session dose and duration");
    }
    SignedAssessment signed = assessment(chart).orElse(null);
    if (signed == null || signed.asOf() == null) {
      return Optional.of(plan.assessment() != null
          ? "the signed assessment " + plan.assessment() + " the plan " + plan.id() + " rests on was not found"
          : "no signed assessment of this app with its date was found for the plan " + plan.id());
    }
    return Optional.empty();
  }

  /**
   * The signed assessment the course's plan rests on (its {@code supportingInfo}), so that a course is followed from
   * its own date and baseline even when a later assessment was signed; for a plan that names none, the latest.
   */
  public static Optional<SignedAssessment> assessment(ChartState chart) {
    ExistingPlan plan = plan(chart).orElse(null);
    if (plan == null) {
      return Optional.empty();
    }
    if (plan.assessment() == null) {
      return Optional.ofNullable(chart.signed());
    }
    return chart.signedAssessments().stream().filter(a -> a.id().equals(plan.assessment())).findFirst();
  }

  /** The course of the signed plan; empty when there is none, or it does not list its sessions and dose. */
  public static Optional<CoursePlan> of(ChartState chart) {
    ExistingPlan plan = plan(chart).orElse(null);
    SignedAssessment signed = assessment(chart).orElse(null);
    if (plan == null || plan.sessions().isEmpty() || plan.dosing() == null || signed == null
        || signed.asOf() == null) {
      return Optional.empty();
    }
    Set<RuleId> signedContraindications = EnumSet.noneOf(RuleId.class);
    for (String f : signed.findings()) {
      String[] parts = f.split("=", 2);
      for (RuleId r : RuleId.values()) {
        if (r.id().equals(parts[0]) && r.category() == RuleId.Category.CONTRAINDICATION && parts.length == 2
            && "met".equals(parts[1])) {
          signedContraindications.add(r);
        }
      }
    }
    return Optional.of(new CoursePlan(plan.sessions(), plan.dosing().doseMg(), plan.dosing().minutes(),
        signed.asOf(), plan.dosing().weightKg(), signedContraindications));
  }

  /** The contraindications the rule set finds in {@code today}'s assessment (for DAY-NEW-CONTRAINDICATION). */
  public static Set<RuleId> contraindications(Assessment today) {
    Set<RuleId> met = EnumSet.noneOf(RuleId.class);
    for (Finding f : today.findings()) {
      if (f.rule().category() == RuleId.Category.CONTRAINDICATION && f.outcome() == Outcome.MET) {
        met.add(f.rule());
      }
    }
    return met;
  }
}
