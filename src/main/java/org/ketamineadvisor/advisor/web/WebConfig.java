package org.ketamineadvisor.advisor.web;

import org.springframework.context.annotation.Configuration;

/** The clinician pages' request checks (the launch a form belongs to, the record reloaded on another instance). */
@Configuration(proxyBeanMethods = false)
class WebConfig implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

  private final org.springframework.beans.factory.ObjectProvider<LaunchedPatients> patients;

  WebConfig(org.springframework.beans.factory.ObjectProvider<LaunchedPatients> patients) {
    this.patients = patients;
  }

  @Override
  public void addInterceptors(org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
    // first: a session on the clinic's list has no patient page until a row is opened
    registry.addInterceptor(new ClinicSessionCheck()).addPathPatterns("/patient", "/patient/**");
    // then: a post from another launch's page must not even reload this session's record
    registry.addInterceptor(new CurrentLaunchCheck()).addPathPatterns("/patient/**");
    registry.addInterceptor(new org.springframework.web.servlet.HandlerInterceptor() {
      @Override
      public boolean preHandle(jakarta.servlet.http.HttpServletRequest request,
          jakarta.servlet.http.HttpServletResponse response, Object handler) {
        return new RecordReloader(patients.getObject()).preHandle(request, response, handler);
      }
    }).addPathPatterns("/patient", "/patient/**");
  }
}
