package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The site settings of CLINICAL-RULES § 5 and § 5.1 ({@code advisor.site.*}); an unset key takes the
 * specification's default. Out-of-range values stop the app at start-up with the key and the accepted range.
 */
@ConfigurationProperties(prefix = "advisor.site")
record SiteProperties(BigDecimal concentrationMgPerMl, Set<DayOfWeek> infusionDays, List<LocalDate> closures,
    Stop stop, List<String> premedication, List<String> rescue) {

  /** {@code advisor.site.stop.*}: the thresholds at which the nurse stops the infusion. */
  record Stop(Integer systolicAbove, Integer diastolicAbove, Integer spo2Below, Integer heartRateAbove) {}

  SiteSettings settings() {
    SiteSettings d = SiteSettings.defaults();
    SiteSettings.StopThresholds ds = d.stop();
    SiteSettings.StopThresholds thresholds = stop == null ? ds : new SiteSettings.StopThresholds(
        or(stop.systolicAbove(), ds.systolicAbove()), or(stop.diastolicAbove(), ds.diastolicAbove()),
        or(stop.spo2Below(), ds.spo2Below()), or(stop.heartRateAbove(), ds.heartRateAbove()));
    return new SiteSettings(concentrationMgPerMl == null ? d.concentrationMgPerMl() : concentrationMgPerMl,
        infusionDays == null ? d.infusionDays() : infusionDays,
        closures == null ? d.closures() : Set.copyOf(closures), thresholds,
        premedication == null ? List.of() : premedication, rescue == null ? List.of() : rescue);
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
