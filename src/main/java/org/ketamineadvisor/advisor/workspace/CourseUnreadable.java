package org.ketamineadvisor.advisor.workspace;

/**
 * The course of an opened patient could not be read completely — the chart's search for the plan or the signed
 * assessment, the Goals, the medication administration record, or part of the record (its pain scores, conditions,
 * medications) — or it is not one course: two active plans of this app, which must never be. No progress or day
 * check is built on a missing read or on a plan picked among several. The message says what could not be read, for a person.
 */
public final class CourseUnreadable extends RuntimeException {
  public CourseUnreadable(String message) {
    super(message);
  }
}
