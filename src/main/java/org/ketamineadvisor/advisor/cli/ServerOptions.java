package org.ketamineadvisor.advisor.cli;

import java.time.Duration;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import picocli.CommandLine.Option;

/** The options naming a FHIR server and how to talk to it, shared by {@code assess} and {@code check}. */
final class ServerOptions {

  @Option(names = "--fhir-base", paramLabel = "URL", description = "Base URL of a FHIR R4 server, e.g. https://ehr.example.org/fhir.")
  String fhirBase;

  @Option(names = "--bearer-token", paramLabel = "TOKEN", description = "Access token sent as 'Authorization: Bearer'; never printed.")
  String bearerToken;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds to open a connection (default: ${DEFAULT-VALUE}).")
  int connectTimeout;

  @Option(names = "--socket-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Seconds of silence before a request is given up (default: ${DEFAULT-VALUE}).")
  int socketTimeout;

  @Option(names = "--max-retries", paramLabel = "N", defaultValue = "2",
      description = "Retries of a failed read (connection error, timeout, 429, 5xx, truncated answer) with backoff"
          + " from 0.5 s, honouring Retry-After up to 10 s (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  /** A usage error (exit 2, naming the option) for a --fhir-base that is not an http(s) URL. */
  void checkBase(picocli.CommandLine where) {
    if (fhirBase != null && !(fhirBase.startsWith("http://") || fhirBase.startsWith("https://"))) {
      throw new picocli.CommandLine.ParameterException(where, "--fhir-base " + fhirBase + " is not a URL: give the "
          + "server's base URL with http:// or https://, e.g. https://ehr.example.org/fhir");
    }
  }

  /** The access token for a workspace's launch: empty (no Authorization header) when none was given. */
  String token() {
    return bearerToken == null ? "" : bearerToken;
  }

  FhirClientSettings settings() {
    FhirClientSettings defaults = FhirClientSettings.defaults();
    return defaults.withTimeouts(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(socketTimeout))
        .withRetries(maxRetries, defaults.initialBackoff(), defaults.maxWait())
        .withBearerToken(bearerToken);
  }
}
