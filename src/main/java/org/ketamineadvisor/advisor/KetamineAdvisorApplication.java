package org.ketamineadvisor.advisor;

import java.time.Clock;
import org.ketamineadvisor.advisor.cli.CommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: the web app, or — with a command name as first argument — the command line without Spring. */
@SpringBootApplication(proxyBeanMethods = false)
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
