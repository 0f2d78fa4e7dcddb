package org.ketamineadvisor.advisor.config;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The site settings of CLINICAL-RULES § 5 and § 5.1 ({@code advisor.site.*}); an unset key takes the
 * specification's default. Out-of-range values stop the app at start-up with the key and the accepted range.
 * {@code time-zone} and {@code day-check.recheck-after-minutes} are the infusion-day check's (§ 8.2).
 */
@ConfigurationProperties(prefix = "advisor.site")
record SiteProperties(BigDecimal concentrationMgPerMl, Set<DayOfWeek> infusionDays, List<LocalDate> closures,
    Stop stop, List<String> premedication, List<String> rescue, String timeZone, DayCheckKeys dayCheck) {

  /** {@code advisor.site.stop.*}: the thresholds at which the nurse stops the infusion. */
  record Stop(Integer systolicAbove, Integer diastolicAbove, Integer spo2Below, Integer heartRateAbove) {}

  /** {@code advisor.site.day-check.*}: minutes of rest before a held BP or heart rate is measured again. */
  record DayCheckKeys(Integer recheckAfterMinutes) {}

  SiteSettings settings() {
    SiteSettings d = SiteSettings.defaults();
    SiteSettings.StopThresholds ds = d.stop();
    SiteSettings.StopThresholds thresholds = stop == null ? ds : new SiteSettings.StopThresholds(
        or(stop.systolicAbove(), ds.systolicAbove()), or(stop.diastolicAbove(), ds.diastolicAbove()),
        or(stop.spo2Below(), ds.spo2Below()), or(stop.heartRateAbove(), ds.heartRateAbove()));
    return new SiteSettings(concentrationMgPerMl == null ? d.concentrationMgPerMl() : concentrationMgPerMl,
        infusionDays == null ? d.infusionDays() : infusionDays,
        closures == null ? d.closures() : Set.copyOf(closures), thresholds,
        premedication == null ? List.of() : premedication, rescue == null ? List.of() : rescue, zone(timeZone),
        dayCheck == null || dayCheck.recheckAfterMinutes() == null ? d.recheckAfterMinutes()
            : dayCheck.recheckAfterMinutes());
  }

  /** A region id (DST follows the region), else a fixed offset; anything else stops start-up with the key. */
  static ZoneId zone(String id) {
    if (id == null || id.isBlank()) {
      return SiteSettings.DEFAULT_TIME_ZONE;
    }
    try {
      return ZoneId.of(id.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("site settings (advisor.site.*): time-zone must be a region id such as "
          + "Europe/Zurich or America/New_York (daylight saving time follows the region), got \"" + id + "\"", e);
    }
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
