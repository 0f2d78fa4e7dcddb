package org.ketamineadvisor.advisor.cli;

import org.ketamineadvisor.advisor.workspace.AppVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {AppVersion.line()};
  }
}
