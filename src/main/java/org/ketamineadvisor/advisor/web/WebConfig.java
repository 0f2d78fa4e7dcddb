package org.ketamineadvisor.advisor.web;

import org.ketamineadvisor.advisor.fhir.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.PatientWorkspace;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web pages' collaborators. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PageProperties.class)
class WebConfig {

  @Bean
  ValueSetTerminology valueSetTerminology() {
    return ValueSetTerminology.loadDefault();
  }

  @Bean
  UcumUnitConverter ucumUnitConverter() {
    return new UcumUnitConverter();
  }

  @Bean
  PatientWorkspace patientWorkspace(ValueSetTerminology terminology, UcumUnitConverter units) {
    return PatientWorkspace.forR4(terminology, units, FhirClientSettings.defaults());
  }
}
