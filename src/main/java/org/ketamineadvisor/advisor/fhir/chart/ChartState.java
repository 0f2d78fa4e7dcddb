package org.ketamineadvisor.advisor.fhir.chart;

import java.util.List;
import java.util.Optional;

/**
 * What this app has already written to the patient's chart: its CarePlans (newest first) and its latest signed
 * RiskAssessment (null when none), as found by the app's identifier systems. {@code problem} says why the chart
 * could not be checked (null when it could): the page then never assumes there is nothing. For the course after
 * signing (§ 8): the app's Goals and the patient's ketamine administrations, or why they could not be read
 * ({@code courseProblem}); every signed assessment of this app ({@code signedAssessments}), so a course is followed
 * from the one its plan rests on.
 */
public record ChartState(List<ExistingPlan> plans, SignedAssessment signed, String problem, List<ExistingGoal> goals,
    List<org.ketamineadvisor.advisor.course.Administration> administrations, String courseProblem,
    List<SignedAssessment> signedAssessments) {

  public ChartState {
    plans = List.copyOf(plans);
    signedAssessments = signedAssessments == null ? List.of() : List.copyOf(signedAssessments);
    goals = goals == null ? List.of() : List.copyOf(goals);
    administrations = administrations == null ? List.of() : List.copyOf(administrations);
  }

  /** Plans and the signed assessment only (no course read). */
  /** The signed assessments known are the latest only. */
  public ChartState(List<ExistingPlan> plans, SignedAssessment signed, String problem, List<ExistingGoal> goals,
      List<org.ketamineadvisor.advisor.course.Administration> administrations, String courseProblem) {
    this(plans, signed, problem, goals, administrations, courseProblem, signed == null ? List.of() : List.of(signed));
  }

  public ChartState(List<ExistingPlan> plans, SignedAssessment signed, String problem) {
    this(plans, signed, problem, List.of(), List.of(), null);
  }

  /** Nothing could be looked up, for the reason given. */
  public static ChartState unchecked(String problem) {
    return new ChartState(List.of(), null, problem);
  }

  /** The Goal the plan in force pursues, when this app wrote one and the chart holds it. */
  public Optional<ExistingGoal> currentGoal() {
    return currentPlan().map(ExistingPlan::goal).flatMap(ref -> goals.stream().filter(g -> g.id().equals(ref))
        .findFirst());
  }

  public boolean checked() {
    return problem == null;
  }

  /** The plan in force (active, on hold or draft), newest first; empty when none. */
  public Optional<ExistingPlan> currentPlan() {
    return plans.stream().filter(ExistingPlan::current).findFirst();
  }

  public List<ExistingPlan> currentPlans() {
    return plans.stream().filter(ExistingPlan::current).toList();
  }
}
