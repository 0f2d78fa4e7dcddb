package org.ketamineadvisor.advisor.sandbox;

import com.nimbusds.jose.jwk.RSAKey;
import java.util.Objects;

/**
 * What the sandbox's parts share once its port is known: addresses, the launch codes, the token signing key.
 *
 * @param issuer the authorization server's issuer, the sandbox's origin, e.g. {@code http://localhost:41234}
 * @param fhirBase the FHIR base URL: the {@code iss} of a launch and the {@code aud} a token is for
 * @param ehrClock the EHR's date and time (what staff record "now", what the pages call today); never for tokens
 */
record SandboxSetup(SandboxOptions options, String issuer, String fhirBase, LaunchContexts launches, RSAKey signingKey,
    EhrClock ehrClock) {

  SandboxSetup {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(fhirBase, "fhirBase");
    Objects.requireNonNull(launches, "launches");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(ehrClock, "ehrClock");
  }

  /** The {@code fhirUser} of a demo user as the id_token carries it: absolute, or relative to the FHIR base. */
  String fhirUserClaim(DemoUser user) {
    return options.absoluteFhirUser() ? fhirBase + "/" + user.fhirUser() : user.fhirUser();
  }

  /** The app's one redirect URI (its {@code /launch/callback}), the same for every client registration. */
  String redirectUri() {
    return options.appBase() + "/launch/callback";
  }
}
