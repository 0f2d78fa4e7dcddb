package org.ketamineadvisor.advisor.cli;

/**
 * The command line's exit statuses, one meaning each for every command ({@code assess --help} and {@code check
 * --help} explain them to the user), so that a script can tell what happened without reading stderr.
 */
final class ExitStatus {

  /** Everything was read and done. */
  static final int OK = 0;
  /** An internal failure (a patient that could not be assessed, an unexpected error). */
  static final int INTERNAL_ERROR = 1;
  /** Bad input or usage, or the server, the patient or a file could not be read (or is not valid FHIR). */
  static final int UNREADABLE = 2;
  /** Something is missing: a resource type could not be read (assessment incomplete), or a server lacks a need. */
  static final int INCOMPLETE = 3;
  /** {@code --write} not done: nothing was written. */
  static final int WRITE_FAILED = 4;
  /** The write's answer was lost and the server could not be checked: it may or may not have happened. */
  static final int WRITE_UNKNOWN = 5;

  private ExitStatus() {}
}
