package org.ketamineadvisor.advisor.sandbox;

import org.ketamineadvisor.advisor.workspace.ClinicClock;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives the app started beside a sandbox EHR (in this JVM) the EHR's clock as its clinic clock, so that the app's
 * "today" moves when the EHR's date and time is set. Acts only when {@value #PROPERTY} names the sandbox's issuer
 * ({@link TestKetamineAdvisorApplication#appArguments} sets it), so every app started with the sandbox's arguments
 * follows its clock and no other app is touched. Listed in the test classpath's {@code META-INF/spring.factories}.
 */
public final class SandboxClinicClock implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /** The issuer of the sandbox EHR whose clock the app's day runs on. */
  public static final String PROPERTY = "sandbox.ehr-clock";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String issuer = context.getEnvironment().getProperty(PROPERTY);
    if (issuer == null || issuer.isBlank()) {
      return;
    }
    EhrClock clock = SandboxEhr.ehrClockOf(issuer).orElseThrow(() -> new IllegalStateException(
        PROPERTY + "=" + issuer + ": no sandbox EHR with that issuer runs in this JVM; start it first "
            + "(SandboxEhr.start) and pass TestKetamineAdvisorApplication.appArguments(sandbox) to the app"));
    // before the app's configuration is read: its own clinic clock (real time) steps aside for this one
    context.getBeanFactory().registerSingleton("clinicClock", new ClinicClock(clock));
  }
}
