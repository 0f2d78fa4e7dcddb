package org.ketamineadvisor.advisor.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SandboxEhr} is set up. Start from {@link #defaults()} and change what a test needs.
 *
 * @param port the one port of the sandbox (FHIR server, authorization server, EHR simulator); 0 for any free port
 * @param appBase where the app runs: its launch URL, redirect URIs and JWKS are derived from it
 * @param confidentialClientSecret the secret of {@code ketamine-advisor-confidential} (a sandbox value, not a secret)
 * @param absoluteFhirUser whether the id_token's {@code fhirUser} is an absolute URL or relative to the FHIR base
 * @param accessTokenTtl lifetime of access tokens
 * @param clock real time for tokens: the authorization server issues and the FHIR server checks them on it (tests
 *     move it forward to expire them); the EHR's date and time ({@link EhrClock}) starts at its time of day and ticks
 *     with it, but moving the EHR's date never moves this clock
 * @param extraSeeds more Bundles or directories to load after the showcase patients (e.g. Synthea records)
 * @param fhirLatency added to every FHIR request before the server answers, as a remote EHR's network and queues
 *     would (benchmarks); zero in tests and the sandbox
 */
public record SandboxOptions(
    int port,
    String appBase,
    String confidentialClientSecret,
    boolean absoluteFhirUser,
    Duration accessTokenTtl,
    Clock clock,
    List<Path> extraSeeds,
    Duration fhirLatency) {

  public static final String DEFAULT_APP_BASE = "http://localhost:8080";
  public static final String DEFAULT_CONFIDENTIAL_SECRET = "sandbox-confidential-secret";

  public SandboxOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
    }
    Objects.requireNonNull(appBase, "appBase, e.g. " + DEFAULT_APP_BASE);
    if (!appBase.startsWith("http://") && !appBase.startsWith("https://")) {
      throw new IllegalArgumentException("appBase must be an http(s) URL like " + DEFAULT_APP_BASE + ", not " + appBase);
    }
    appBase = appBase.endsWith("/") ? appBase.substring(0, appBase.length() - 1) : appBase;
    Objects.requireNonNull(confidentialClientSecret, "confidentialClientSecret");
    Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
    if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
      throw new IllegalArgumentException("accessTokenTtl must be positive, not " + accessTokenTtl);
    }
    Objects.requireNonNull(clock, "clock");
    extraSeeds = List.copyOf(extraSeeds);
    Objects.requireNonNull(fhirLatency, "fhirLatency");
    if (fhirLatency.isNegative()) {
      throw new IllegalArgumentException("fhirLatency must be zero or more, not " + fhirLatency);
    }
  }

  /** Any free port, app at {@value #DEFAULT_APP_BASE}, absolute fhirUser, 5-minute access tokens, no Synthea. */
  public static SandboxOptions defaults() {
    return new SandboxOptions(0, DEFAULT_APP_BASE, DEFAULT_CONFIDENTIAL_SECRET, true, Duration.ofMinutes(5),
        Clock.systemUTC(), List.of(), Duration.ZERO);
  }

  public SandboxOptions withPort(int newPort) {
    return new SandboxOptions(newPort, appBase, confidentialClientSecret, absoluteFhirUser, accessTokenTtl, clock,
        extraSeeds, fhirLatency);
  }

  public SandboxOptions withAppBase(String newAppBase) {
    return new SandboxOptions(port, newAppBase, confidentialClientSecret, absoluteFhirUser, accessTokenTtl, clock,
        extraSeeds, fhirLatency);
  }

  public SandboxOptions withConfidentialClientSecret(String secret) {
    return new SandboxOptions(port, appBase, secret, absoluteFhirUser, accessTokenTtl, clock, extraSeeds,
        fhirLatency);
  }

  public SandboxOptions withRelativeFhirUser() {
    return new SandboxOptions(port, appBase, confidentialClientSecret, false, accessTokenTtl, clock, extraSeeds,
        fhirLatency);
  }

  public SandboxOptions withClock(Clock newClock) {
    return new SandboxOptions(port, appBase, confidentialClientSecret, absoluteFhirUser, accessTokenTtl, newClock,
        extraSeeds, fhirLatency);
  }

  public SandboxOptions withExtraSeeds(List<Path> seeds) {
    return new SandboxOptions(port, appBase, confidentialClientSecret, absoluteFhirUser, accessTokenTtl, clock, seeds,
        fhirLatency);
  }

  public SandboxOptions withFhirLatency(Duration latency) {
    return new SandboxOptions(port, appBase, confidentialClientSecret, absoluteFhirUser, accessTokenTtl, clock,
        extraSeeds, latency);
  }
}
