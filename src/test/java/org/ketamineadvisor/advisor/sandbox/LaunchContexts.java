package org.ketamineadvisor.advisor.sandbox;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The launch codes the sandbox EHR has handed out, each bound to the context a token will carry. */
final class LaunchContexts {

  /**
   * What a launch code stands for: the patient (and encounter) in context and whether the app must show a banner;
   * no patient for a provider-level launch (the clinic's schedule, SMART App Launch 2.x).
   */
  record LaunchContext(String patient, String encounter, boolean needPatientBanner) {

    /** A launch from the schedule, with no patient in context: the app opens the clinic's list. */
    static LaunchContext providerLevel() {
      return new LaunchContext(null, null, false);
    }

    LaunchContext {
      if (patient != null && (patient.isBlank() || patient.contains("/"))) {
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
