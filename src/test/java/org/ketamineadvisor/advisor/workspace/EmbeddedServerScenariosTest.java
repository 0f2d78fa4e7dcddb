package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;

/** The live-server scenarios against the embedded HAPI JPA server (always runs, no Docker needed). */
class EmbeddedServerScenariosTest extends LiveServerScenarios {
  @Override
  String baseUrl() {
    return EmbeddedFhirServer.shared().baseUrl();
  }
}
