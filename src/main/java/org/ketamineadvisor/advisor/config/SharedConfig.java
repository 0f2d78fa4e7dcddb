package org.ketamineadvisor.advisor.config;

import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every door of the running app shares — the clinical pages and CDS Hooks alike: the code lists, unit
 * conversion, the site's settings, the connections to the EHRs' FHIR servers, the moment of assessment and the
 * workspace that opens, assesses and signs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PageProperties.class, SiteProperties.class})
class SharedConfig {

  /** The one clock of every door (tests and the sandbox may supply their own). */
  @Bean
  @ConditionalOnMissingBean
  java.time.Clock clock() {
    return java.time.Clock.systemDefaultZone();
  }

  @Bean
  ValueSetTerminology valueSetTerminology() {
    return ValueSetTerminology.loadDefault();
  }

  @Bean
  UcumUnitConverter ucumUnitConverter() {
    return new UcumUnitConverter();
  }

  /** The site's settings, validated at start-up: a bad value stops the app with the key and its range. */
  @Bean
  SiteSettings siteSettings(SiteProperties properties) {
    return properties.settings();
  }

  /**
   * The instance's connections to the EHRs' FHIR servers, shared by every launch, signing and CDS call: a kept-alive
   * pool per server and threads for the requests a launch runs side by side ({@code advisor.fhir.max-connections}).
   */
  @Bean(destroyMethod = "close")
  FhirConnections fhirConnections(
      @org.springframework.beans.factory.annotation.Value("${advisor.fhir.max-connections:"
          + FhirConnections.DEFAULT_MAX_CONNECTIONS + "}") int maxConnections) {
    return new FhirConnections(ca.uhn.fhir.context.FhirContext.forR4Cached(), FhirClientSettings.defaults(),
        maxConnections);
  }

  /** The moment of assessment for the pages and CDS Hooks: the clock, the clinic's zone, {@code advisor.pages.as-of}. */
  @Bean
  AssessmentMoment assessmentMoment(java.time.Clock clock, SiteSettings site, PageProperties pages) {
    return new AssessmentMoment(clock, site.timeZone(), pages.asOf());
  }

  /** With the shared session store, the shared signing lock; else one lock per JVM. */
  @Bean
  PatientWorkspace patientWorkspace(ValueSetTerminology terminology, UcumUnitConverter units, SiteSettings site,
      FhirConnections connections,
      org.springframework.beans.factory.ObjectProvider<org.ketamineadvisor.advisor.workspace.SigningLock> sharedLock) {
    PatientWorkspace workspace = new PatientWorkspace(terminology, connections,
        org.ketamineadvisor.advisor.workspace.PatientAssessor.withDefaultRules(terminology, units, site), units, site);
    sharedLock.ifAvailable(workspace::withSigningLock);
    return workspace;
  }
}
