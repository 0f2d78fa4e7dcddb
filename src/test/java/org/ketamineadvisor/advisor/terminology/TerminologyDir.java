package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the curated code lists the value sets are built from live: {@code terminology/} in the repository. */
final class TerminologyDir {

  static final Path DIR = Path.of("terminology");

  private TerminologyDir() {}

  static Path locate() {
    if (!Files.isDirectory(DIR)) {
      fail("the code lists are not at " + DIR.toAbsolutePath() + ": run the tests from the repository root");
    }
    return DIR;
  }
}
