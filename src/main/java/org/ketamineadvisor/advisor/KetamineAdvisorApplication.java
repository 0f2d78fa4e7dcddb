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
      ElasticsearchRestClientAutoConfiguration.class,
      // shared sessions are opt-in (advisor.session.store=redis, SessionStoreConfig): without them a single instance
      // keeps in-memory sessions and needs no Redis
      org.springframework.boot.autoconfigure.session.SessionAutoConfiguration.class,
      org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration.class,
      org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration.class,
      org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration.class
    })
public class KetamineAdvisorApplication {

  /**
   * {@code serve [--property=value …]}, or no command at all (only Spring properties such as
   * {@code --server.port=8080}), starts the web app; anything else is the command line — an unknown command is a
   * usage error there, never a web server started by mistake.
   */
  public static void main(String[] args) {
    if (startsWebApp(args)) {
      String[] springArgs = args.length > 0 && CommandLine.SERVE.equals(args[0])
          ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
      SpringApplication.run(KetamineAdvisorApplication.class, springArgs);
      return;
    }
    // before any logger exists: stdout is the command's result, so logs must go to stderr
    System.setProperty("logback.configurationFile", "logback-cli.xml");
    System.exit(CommandLine.run(args, Clock.systemDefaultZone()));
  }

  /** Whether these arguments start the web app rather than a command (see {@link #main}). */
  public static boolean startsWebApp(String... args) {
    if (args.length == 0 || CommandLine.SERVE.equals(args[0])) {
      return true;
    }
    // Spring properties (--server.port=…) alone start the web app, as they always did; a word or -h/--help/-V is a
    // command
    return args[0].startsWith("--") && args[0].contains("=") || args[0].startsWith("--spring.");
  }
}
