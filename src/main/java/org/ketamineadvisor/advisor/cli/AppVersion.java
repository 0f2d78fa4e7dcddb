package org.ketamineadvisor.advisor.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the jar's implementation version and the rule set. */
public final class AppVersion implements IVersionProvider {

  public static final String RULE_SET = "ketamine-rules v1.1";

  public static String version() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"Ketamine Infusion Advisor " + version() + " (" + RULE_SET + ")"};
  }
}
