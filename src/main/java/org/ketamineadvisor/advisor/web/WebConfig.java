package org.ketamineadvisor.advisor.web;

import org.ketamineadvisor.advisor.fhir.PatientBannerReader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web pages' collaborators. */
@Configuration(proxyBeanMethods = false)
class WebConfig {

  @Bean
  PatientBannerReader patientBannerReader() {
    return new PatientBannerReader();
  }
}
