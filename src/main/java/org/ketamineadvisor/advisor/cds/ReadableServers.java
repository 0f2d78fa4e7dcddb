package org.ketamineadvisor.advisor.cds;

import java.net.URI;
import java.util.List;
import org.ketamineadvisor.advisor.launch.EhrRegistration;
import org.ketamineadvisor.advisor.launch.LaunchProperties;

/**
 * The FHIR servers a CDS client's request may have read with its {@code fhirAuthorization} token: the client's own
 * ({@code advisor.cds.clients[n].fhir-servers}), by default the SMART allow-list's issuers. The token goes only to
 * a server the client is known to front, never to any URL a request names.
 */
final class ReadableServers {

  private final CdsProperties properties;
  private final LaunchProperties launch;

  ReadableServers(CdsProperties properties, LaunchProperties launch) {
    this.properties = properties;
    this.launch = launch;
  }

  /** Whether {@code fhirServer} is one of {@code client}'s FHIR servers. */
  boolean readable(String client, String fhirServer) {
    String server = fhirServer.replaceAll("/+$", "");
    List<URI> allowed = properties.clients().stream().filter(c -> c.issuer().equals(client)).findFirst()
        .map(CdsProperties.Client::fhirServers).filter(list -> !list.isEmpty())
        .orElse(launch.ehrs().stream().map(EhrRegistration::issuer).toList());
    return allowed.stream().anyMatch(uri -> uri.toString().equals(server));
  }
}
