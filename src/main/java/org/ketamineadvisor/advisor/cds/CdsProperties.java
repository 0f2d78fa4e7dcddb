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

  /** One allow-listed CDS client: {@code advisor.cds.clients[n].issuer} and {@code …jwk-set-uri}. */
  record Client(String issuer, URI jwkSetUri) {
    Client {
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalArgumentException("advisor.cds.clients[n].issuer is required (the iss of the client's JWT)");
      }
      if (jwkSetUri == null || !("https".equals(jwkSetUri.getScheme()) || "http".equals(jwkSetUri.getScheme()))) {
        throw new IllegalArgumentException("advisor.cds.clients[n].jwk-set-uri must be an http(s) URL of the JWK set "
            + "of " + issuer + ", got " + jwkSetUri);
      }
    }
  }

  CdsProperties {
    clients = clients == null ? List.of() : List.copyOf(clients);
  }
}
