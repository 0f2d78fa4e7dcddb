package org.ketamineadvisor.advisor.sandbox;

import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;

/** {@code ./mvnw spring-boot:test-run}: the app with its test-scope sandbox. */
public final class TestKetamineAdvisorApplication {

  private TestKetamineAdvisorApplication() {}

  public static void main(String[] args) {
    SpringApplication.from(KetamineAdvisorApplication::main).run(args);
  }
}
