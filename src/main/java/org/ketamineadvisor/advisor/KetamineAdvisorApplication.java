package org.ketamineadvisor.advisor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: the web app, or — with a command name as first argument — the command line without Spring. */
@SpringBootApplication(proxyBeanMethods = false)
public class KetamineAdvisorApplication {

  public static void main(String[] args) {
    SpringApplication.run(KetamineAdvisorApplication.class, args);
  }
}
