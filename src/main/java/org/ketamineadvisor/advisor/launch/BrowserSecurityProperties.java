package org.ketamineadvisor.advisor.launch;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Browser-facing security settings: who may frame the app, and whether cookies need HTTPS ({@code advisor.security}). */
@Validated
@ConfigurationProperties("advisor.security")
public record BrowserSecurityProperties(
    @NotBlank(message = "advisor.security.frame-ancestors is empty: list the EHR origins allowed to show the app in an "
        + "iframe, e.g. 'self' https://ehr.example.org, or 'none'")
    @Pattern(regexp = "[^;,\\r\\n]*", message = "advisor.security.frame-ancestors must be a space-separated list of "
        + "origins without ';' or ','")
    @DefaultValue("'self'") String frameAncestors,
    @DefaultValue("true") boolean secureCookies) {

  /** The Content-Security-Policy header value. */
  public String contentSecurityPolicy() {
    return "default-src 'self'; frame-ancestors " + frameAncestors.trim();
  }
}
