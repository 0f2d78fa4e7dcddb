package org.ketamineadvisor.advisor.workspace;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The live-server scenarios against a real HAPI FHIR server image (hapiproject/hapi), so the app is
 * also proven against a server it does not embed. Skipped where there is no Docker (as on CI); the
 * same scenarios always run against the embedded server ({@link EmbeddedServerScenariosTest}).
 */
@Testcontainers(disabledWithoutDocker = true)
class HapiContainerIT extends LiveServerScenarios {

  @Container
  private static final GenericContainer<?> HAPI = new GenericContainer<>(DockerImageName.parse("hapiproject/hapi:v8.4.0-1"))
      .withExposedPorts(8080)
      .withEnv("hapi.fhir.fhir_version", "R4")
      .waitingFor(Wait.forHttp("/fhir/metadata").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(4)));

  @Override
  String baseUrl() {
    return "http://" + HAPI.getHost() + ":" + HAPI.getMappedPort(8080) + "/fhir";
  }
}
