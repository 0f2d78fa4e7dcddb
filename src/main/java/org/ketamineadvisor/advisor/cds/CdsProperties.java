package org.ketamineadvisor.advisor.cds;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The CDS Hooks service's settings ({@code advisor.cds.*}): the CDS clients (EHRs) allowed to call it, each by the
 * {@code iss} of its signed JWT and the JWK set its keys are published at; whether {@code patient-view} is offered
 * (off by default); and the service's public base URL when behind a proxy (the JWT's {@code aud} must name it).
 */
@ConfigurationProperties("advisor.cds")
record CdsProperties(List<Client> clients, boolean patientView, URI publicBaseUrl) {

  /**
   * One allow-listed CDS client: {@code advisor.cds.clients[n].issuer}, {@code …jwk-set-uri}, and the FHIR servers
   * ({@code …fhir-servers}) whose records the service may read with the client's {@code fhirAuthorization} when
   * prefetch is incomplete — by default the issuers of {@code advisor.ehrs}.
   */
  record Client(String issuer, URI jwkSetUri, List<URI> fhirServers) {
    Client {
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalArgumentException("advisor.cds.clients[n].issuer is required (the iss of the client's JWT)");
      }
      if (jwkSetUri == null || !("https".equals(jwkSetUri.getScheme()) || "http".equals(jwkSetUri.getScheme()))) {
        throw new IllegalArgumentException("advisor.cds.clients[n].jwk-set-uri must be an http(s) URL of the JWK set "
            + "of " + issuer + ", got " + jwkSetUri);
      }
      fhirServers = fhirServers == null ? List.of() : fhirServers.stream().map(server -> {
        if (server == null || !("https".equals(server.getScheme()) || "http".equals(server.getScheme()))) {
          throw new IllegalArgumentException("advisor.cds.clients[n].fhir-servers must be http(s) FHIR base URLs, "
              + "got " + server + " for " + issuer);
        }
        return URI.create(server.toString().replaceAll("/+$", ""));
      }).toList();
    }
  }

  CdsProperties {
    clients = clients == null ? List.of() : List.copyOf(clients);
  }
}
