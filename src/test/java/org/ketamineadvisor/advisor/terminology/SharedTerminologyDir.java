package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared curated code lists are: system property {@code shared.dir} (default ../shared). */
final class SharedTerminologyDir {

  private SharedTerminologyDir() {}

  static Path locate() {
    Path shared = Path.of(System.getProperty("shared.dir", "../shared")).resolve("terminology");
    if (!Files.isDirectory(shared)) {
      fail("shared terminology not found at " + shared.toAbsolutePath()
          + "; set -Dshared.dir to the directory that holds terminology/*.tsv");
    }
    return shared;
  }
}
