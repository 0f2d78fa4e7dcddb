package org.ketamineadvisor.advisor.workspace;

/** {@link ShowcaseCopies} for tests outside this package. */
public final class ShowcaseCopiesAccess {
  private ShowcaseCopiesAccess() {}

  /** Loads a renamed copy of a sandbox showcase patient into the server; returns its patient id. */
  public static String load(String showcase, String fhirBase) {
    return ShowcaseCopies.load(showcase, fhirBase);
  }
}
