package org.ketamineadvisor.advisor.workspace;

/** The app's version (the jar's implementation version) and its rule set, written with every signed resource. */
public final class AppVersion {

  public static final String RULE_SET = "ketamine-rules v1.1";

  private AppVersion() {}

  public static String version() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** "Ketamine Infusion Advisor 1.2.3 (ketamine-rules v1.1)". */
  public static String line() {
    return "Ketamine Infusion Advisor " + version() + " (" + RULE_SET + ")";
  }
}
