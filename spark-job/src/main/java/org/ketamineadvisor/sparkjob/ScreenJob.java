package org.ketamineadvisor.sparkjob;

/** Placeholder while the job is written: prints the core's version line. */
public final class ScreenJob {
  private ScreenJob() {}

  public static void main(String[] args) {
    System.out.println(org.ketamineadvisor.advisor.workspace.AppVersion.line());
  }
}
