package org.ketamineadvisor.advisor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

/** {@code advisor.site.*} as an integration engineer writes it: defaults, the keys of the README, bad values. */
class SitePropertiesTest {

  private static SiteSettings bind(Map<String, String> properties) {
    Binder binder = new Binder(java.util.List.of(new MapConfigurationPropertySource(properties)), null,
        ApplicationConversionService.getSharedInstance());
    return binder.bind("advisor.site", SiteProperties.class)
        .orElseGet(() -> new SiteProperties(null, null, null, null, null, null, null, null)).settings();
  }

  @Test
  void nothingConfiguredIsTheSpecificationsDefaults() {
    assertThat(bind(Map.of())).isEqualTo(SiteSettings.defaults());
  }

  @Test
  void theReadmeKeysBind() {
    SiteSettings site = bind(Map.of(
        "advisor.site.concentration-mg-per-ml", "2",
        "advisor.site.infusion-days", "MONDAY,WEDNESDAY,FRIDAY",
        "advisor.site.closures", "2026-12-24,2026-12-25",
        "advisor.site.stop.systolic-above", "170",
        "advisor.site.premedication[0]", "ondansetron 4 mg IV before the infusion",
        "advisor.site.rescue[0]", "midazolam 1 mg IV for a distressing emergence reaction"));
    assertThat(site.concentrationMgPerMl()).isEqualByComparingTo(new BigDecimal("2"));
    assertThat(site.infusionDays()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
    assertThat(site.closures()).containsExactly(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 25));
    assertThat(site.stop().systolicAbove()).isEqualTo(170);
    assertThat(site.stop().diastolicAbove()).as("unset keys keep their default").isEqualTo(100);
    assertThat(site.premedication()).containsExactly("ondansetron 4 mg IV before the infusion");
    assertThat(site.inWords()).contains("infusion days Monday, Wednesday, Friday; closed 2026-12-24, 2026-12-25")
        .contains("2 mg/mL").contains("rescue drugs: midazolam 1 mg IV");
  }

  @Test
  void theDayCheckKeysBindTheZoneAndTheRecheckTime() {
    assertThat(bind(Map.of()).timeZone()).as("the default: UTC, whatever the JVM's zone").isEqualTo(ZoneOffset.UTC);
    assertThat(bind(Map.of()).recheckAfterMinutes()).isEqualTo(15);
    SiteSettings site = bind(Map.of("advisor.site.time-zone", "Europe/Zurich",
        "advisor.site.day-check.recheck-after-minutes", "10"));
    assertThat(site.timeZone()).isEqualTo(ZoneId.of("Europe/Zurich"));
    assertThat(site.recheckAfterMinutes()).isEqualTo(10);
    assertThatThrownBy(() -> bind(Map.of("advisor.site.time-zone", "Zurich")))
        .hasMessageContaining("advisor.site").hasMessageContaining("time-zone must be a region id such as Europe/Zurich")
        .hasMessageContaining("\"Zurich\"");
    assertThatThrownBy(() -> bind(Map.of("advisor.site.day-check.recheck-after-minutes", "2")))
        .hasMessageContaining("day-check.recheck-after-minutes must be between 5 and 60 minutes, got 2");
  }

  @Test
  void aBadValueStopsStartUpWithTheKeyAndTheRange() {
    assertThatThrownBy(() -> bind(Map.of("advisor.site.stop.spo2-below", "70")))
        .hasMessageContaining("advisor.site").hasMessageContaining("stop.spo2-below must be between 80 and 100 %, got 70");
  }
}
