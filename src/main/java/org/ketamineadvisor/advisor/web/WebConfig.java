package org.ketamineadvisor.advisor.web;

import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.fhir.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.PatientWorkspace;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web pages' collaborators. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PageProperties.class, SiteProperties.class})
class WebConfig implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

  private final org.springframework.beans.factory.ObjectProvider<PatientController> pages;

  WebConfig(org.springframework.beans.factory.ObjectProvider<PatientController> pages) {
    this.pages = pages;
  }

  @Override
  public void addInterceptors(org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
    registry.addInterceptor(new org.springframework.web.servlet.HandlerInterceptor() {
      @Override
      public boolean preHandle(jakarta.servlet.http.HttpServletRequest request,
          jakarta.servlet.http.HttpServletResponse response, Object handler) {
        return new RecordReloader(pages.getObject()).preHandle(request, response, handler);
      }
    }).addPathPatterns("/patient", "/patient/**");
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

  /** With the shared session store, the shared signing lock; else one lock per JVM. */
  @Bean
  PatientWorkspace patientWorkspace(ValueSetTerminology terminology, UcumUnitConverter units, SiteSettings site,
      org.springframework.beans.factory.ObjectProvider<org.ketamineadvisor.advisor.fhir.SigningLock> sharedLock) {
    PatientWorkspace workspace = PatientWorkspace.forR4(terminology, units, FhirClientSettings.defaults(), site);
    sharedLock.ifAvailable(workspace::withSigningLock);
    return workspace;
  }
}
