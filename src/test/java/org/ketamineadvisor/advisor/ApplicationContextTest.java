package org.ketamineadvisor.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The app's own context starts and is healthy although the sandbox's JPA, H2, Hibernate Search and
 * Elasticsearch client jars are on the test classpath: none of them may be auto-configured into the app.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationContextTest {

  @Autowired
  private TestRestTemplate http;

  @Autowired
  private ApplicationContext context;

  @Test
  void healthIsUp() {
    ResponseEntity<Map> health = http.getForEntity("/actuator/health", Map.class);

    assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(health.getBody()).containsEntry("status", "UP");
  }

  @Test
  void theAppHasNoDatabaseOfItsOwn() {
    assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    assertThat(context.getBeanNamesForType(jakarta.persistence.EntityManagerFactory.class)).isEmpty();
  }

  @Test
  void noSandboxBeanLeaksIntoTheApp() {
    assertThat(context.getBeanNamesForType(ca.uhn.fhir.rest.server.RestfulServer.class)).isEmpty();
    assertThat(context.getBeanDefinitionNames())
        .noneMatch(name -> name.startsWith("ca.uhn.fhir.jpa") || name.toLowerCase().contains("sandbox"))
        .noneMatch(name -> name.toLowerCase().contains("springdoc") || name.toLowerCase().contains("quartz"));
  }
}
