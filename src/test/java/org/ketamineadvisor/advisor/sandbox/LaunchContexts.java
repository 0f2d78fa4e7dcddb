package org.ketamineadvisor.advisor.sandbox;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The launch codes the sandbox EHR has handed out, each bound to the context a token will carry. */
final class LaunchContexts {

  /** What a launch code stands for: the patient (and encounter) in context and whether the app must show a banner. */
  record LaunchContext(String patient, String encounter, boolean needPatientBanner) {
    LaunchContext {
      Objects.requireNonNull(patient, "a launch context needs a patient id");
      if (patient.isBlank() || patient.contains("/")) {
        throw new IllegalArgumentException("patient must be a bare id like 'crps-suitable', not '" + patient + "'");
      }
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<String, LaunchContext> byCode = new ConcurrentHashMap<>();

  /** Creates an opaque code (as real EHRs do: the app must not read anything into it). */
  String create(LaunchContext context) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byCode.put(code, context);
    return code;
  }

  Optional<LaunchContext> find(String code) {
    return code == null ? Optional.empty() : Optional.ofNullable(byCode.get(code));
  }
}
