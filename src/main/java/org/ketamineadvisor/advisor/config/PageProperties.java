package org.ketamineadvisor.advisor.config;

import java.time.LocalDate;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the clinician pages. {@code asOf} fixes the assessment date (for demonstrations and tests against
 * seed data written for one day, e.g. the sandbox's 2026-06-01); empty means today by the app's clock.
 */
@ConfigurationProperties(prefix = "advisor.pages")
record PageProperties(LocalDate asOf) {}
