package org.ketamineadvisor.advisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Configuration mistakes stop the app at start-up with a message that says which key to fix and how. */
class LaunchPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({LaunchProperties.class, BrowserSecurityProperties.class})
  static class Bound {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(Bound.class);

  @Test
  void aMinimalPublicClientGetsTheDocumentedDefaults() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org/R4/", "advisor.ehrs[0].client-id=app")
        .run(context -> {
          assertThat(context).hasNotFailed();
          EhrRegistration ehr = context.getBean(LaunchProperties.class).ehrs().get(0);
          assertThat(ehr.issuer()).hasToString("https://fhir.example.org/R4");
          assertThat(ehr.clientAuthentication()).isEqualTo(ClientAuthentication.NONE);
          assertThat(ehr.scopes()).isEqualTo(EhrRegistration.DEFAULT_SCOPES);
          assertThat(ehr.registrationId()).isEqualTo("fhir-example-org-r4");
          assertThat(ehr.redirectUri()).isEqualTo("{baseUrl}/launch/callback");
          BrowserSecurityProperties browser = context.getBean(BrowserSecurityProperties.class);
          assertThat(browser.secureCookies()).isTrue();
          assertThat(browser.contentSecurityPolicy()).isEqualTo("default-src 'self'; frame-ancestors 'self'");
        });
  }

  @Test
  void clientSecretBasicWithoutASecretIsRefused() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org", "advisor.ehrs[0].client-id=app",
            "advisor.ehrs[0].client-authentication=client_secret_basic")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("advisor.ehrs[n].client-secret is missing"));
  }

  @Test
  void privateKeyJwtWithoutKeysIsRefused() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org", "advisor.ehrs[0].client-id=app",
            "advisor.ehrs[0].client-authentication=private_key_jwt")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("jwk-set-location is missing"));
  }

  @Test
  void aMissingClientIdOrRelativeIssuerIsRefused() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=fhir.example.org/R4")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("client-id is missing")
            .hasMessageContaining("must be an absolute http(s) URL"));
  }

  @Test
  void theSameIssuerTwiceIsRefused() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org", "advisor.ehrs[0].client-id=a",
            "advisor.ehrs[1].issuer=https://fhir.example.org/", "advisor.ehrs[1].client-id=b")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("the same issuer or registration-id twice"));
  }

  @Test
  void scopesWithoutLaunchOrOpenIdAreRefused() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org", "advisor.ehrs[0].client-id=a",
            "advisor.ehrs[0].scopes=patient/*.rs")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("must include launch"));
  }

  @Test
  void frameAncestorsCannotInjectOtherDirectives() {
    runner.withPropertyValues("advisor.security.frame-ancestors=* ; script-src *")
        .run(context -> assertThat(context).getFailure().getRootCause()
            .hasMessageContaining("frame-ancestors must be a space-separated list"));
  }

  @Test
  void theSecretNeverReachesToString() {
    runner.withPropertyValues("advisor.ehrs[0].issuer=https://fhir.example.org", "advisor.ehrs[0].client-id=app",
            "advisor.ehrs[0].client-authentication=client_secret_basic", "advisor.ehrs[0].client-secret=hunter2")
        .run(context -> assertThat(context.getBean(LaunchProperties.class).toString())
            .doesNotContain("hunter2").contains("******"));
  }
}
