package org.ketamineadvisor.advisor;

import java.time.Clock;
import org.ketamineadvisor.advisor.cli.CommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;

/** Entry point: the web app, or — with a command name as first argument — the command line without Spring. */
// The app keeps no database, index or scheduler of its own. The sandbox EHR's HAPI JPA server brings H2,
// Hibernate, Flyway, Quartz and an Elasticsearch client onto the test classpath; without these exclusions
// Spring Boot would wire them into the app and its health would report the absent Elasticsearch as DOWN.
@SpringBootApplication(
    proxyBeanMethods = false,
    exclude = {
      DataSourceAutoConfiguration.class,
      HibernateJpaAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      QuartzAutoConfiguration.class,
      ElasticsearchRestClientAutoConfiguration.class
    })
public class KetamineAdvisorApplication {

  public static void main(String[] args) {
    if (args.length > 0 && CommandLine.COMMANDS.contains(args[0])) {
      // before any logger exists: stdout is the command's result, so logs must go to stderr
      System.setProperty("logback.configurationFile", "logback-cli.xml");
      System.exit(CommandLine.run(args, Clock.systemDefaultZone()));
    }
    SpringApplication.run(KetamineAdvisorApplication.class, args);
  }
}
