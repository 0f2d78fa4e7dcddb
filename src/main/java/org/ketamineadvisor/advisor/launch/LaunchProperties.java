package org.ketamineadvisor.advisor.launch;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The issuer allow-list ({@code advisor.ehrs}) and how their SMART configuration is discovered. */
@Validated
@ConfigurationProperties("advisor")
public record LaunchProperties(@Valid List<EhrRegistration> ehrs, @Valid @DefaultValue Discovery discovery) {

  public LaunchProperties {
    ehrs = ehrs == null ? List.of() : List.copyOf(ehrs);
    discovery = discovery == null ? new Discovery(null, null) : discovery;
  }

  @AssertTrue(message = "advisor.ehrs lists the same issuer or registration-id twice: give each EHR one entry")
  public boolean isEachEhrOnce() {
    return new HashSet<>(ehrs.stream().map(e -> String.valueOf(e.issuer())).toList()).size() == ehrs.size()
        && new HashSet<>(ehrs.stream().map(EhrRegistration::registrationId).toList()).size() == ehrs.size();
  }

  /** Discovery of {@code {iss}/.well-known/smart-configuration}: how long to wait and to cache. */
  public record Discovery(@DefaultValue("5s") Duration timeout, @DefaultValue("1h") Duration cacheFor) {
    public Discovery {
      timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
      cacheFor = cacheFor == null ? Duration.ofHours(1) : cacheFor;
    }

    @AssertTrue(message = "advisor.discovery.timeout must be between 1 ms and 60 s")
    public boolean isTimeoutSensible() {
      return !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(Duration.ofSeconds(60)) <= 0;
    }
  }
}
