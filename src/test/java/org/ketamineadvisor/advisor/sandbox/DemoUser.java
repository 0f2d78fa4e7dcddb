package org.ketamineadvisor.advisor.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * A user who can sign in to the sandbox EHR; the password is a published sandbox value, not a secret.
 *
 * @param fhirUser the user's FHIR resource, relative to the FHIR base, e.g. {@code Practitioner/dr-ada}
 */
record DemoUser(String username, String password, String displayName, String fhirUser) {

  static final DemoUser DR_ADA = new DemoUser("dr.ada", "sandbox", "Dr Ada Lovelace (anaesthetist)", "Practitioner/dr-ada");

  static final List<DemoUser> ALL = List.of(DR_ADA);

  static Optional<DemoUser> named(String username) {
    return ALL.stream().filter(user -> user.username().equals(username)).findFirst();
  }
}
