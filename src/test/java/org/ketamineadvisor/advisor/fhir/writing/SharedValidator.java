package org.ketamineadvisor.advisor.fhir.writing;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;

/** One {@link ProfileValidator} for all tests: building one takes seconds. */
public final class SharedValidator {
  static final Path PROFILES = Path.of("fhir-profiles");
  static final FhirContext FHIR = FhirContext.forR4Cached();
  private static ProfileValidator instance;

  private SharedValidator() {}

  public static synchronized ProfileValidator get() {
    if (instance == null) {
      instance = ProfileValidator.fromDirectory(FHIR, PROFILES);
    }
    return instance;
  }

  static boolean updateGolden() {
    return Boolean.getBoolean("golden.update");
  }
}
