package org.ketamineadvisor.advisor.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ketamineadvisor.advisor.assessment.IndicationGroup;

/** The infusion order of CLINICAL-RULES § 5.1: volume, pump rate in mg/h and mL/h, course total, site settings. */
class InfusionOrderTest {

  private static InfusionOrder order(IndicationGroup group, String kg, SiteSettings site) {
    return new InfusionPlanner(site).propose(anAssessment().group(group).weight(kg).build(), PlanRequest.defaults())
        .orElseThrow().order();
  }

  private static SiteSettings concentration(String mgPerMl) {
    SiteSettings d = SiteSettings.defaults();
    return new SiteSettings(new BigDecimal(mgPerMl), d.infusionDays(), d.closures(), d.stop(), d.premedication(),
        d.rescue());
  }

  @ParameterizedTest(name = "P-CRPS {0} kg at {1} mg/mL → {2} mg/h, {3} mL/h, {4} mg in {5} mL, course {6} mg")
  @CsvSource({
      // below the cap: 0.35 × 60 = 21 mg/h; at the cap boundary 72.8 kg → 25.48 → 25; above it capped at 25
      "60.0, 1, 21, 21.0, 84, 84.0, 840",
      "69.9, 1, 24, 24.0, 96, 96.0, 960",
      "72.8, 1, 25, 25.0, 100, 100.0, 1000",
      "72.9, 1, 25, 25.0, 100, 100.0, 1000",
      "120.0, 1, 25, 25.0, 100, 100.0, 1000",
      // at 2 mg/mL half the volume; at 0.8 mg/mL 21 ÷ 0.8 = 26.25 → 26.3 mL/h, 84 ÷ 0.8 = 105 mL
      "60.0, 2, 21, 10.5, 84, 42.0, 840",
      "60.0, 0.8, 21, 26.3, 84, 105.0, 840"})
  void crps(String kg, String concentration, String mgPerHour, String mlPerHour, int dose, String ml, int total) {
    InfusionOrder o = order(IndicationGroup.CRPS, kg, concentration(concentration));
    assertThat(o.rateMgPerHour()).isEqualByComparingTo(mgPerHour);
    assertThat(o.rateMlPerHour().toPlainString()).isEqualTo(mlPerHour);
    assertThat(o.doseMg()).isEqualTo(dose);
    assertThat(o.volumeMl().toPlainString()).isEqualTo(ml);
    assertThat(o.minutes()).isEqualTo(240);
    assertThat(o.courseTotalMg()).isEqualTo(total);
  }

  @ParameterizedTest(name = "P-STANDARD {0} kg → {1} mg at {2} mg/h = {3} mL/h")
  @CsvSource({
      // rate = dose ÷ (40/60 h) = 1.5 × dose
      "80.0, 40, 60, 60.0",
      "82.0, 41, 61.5, 61.5",
      "71.0, 36, 54, 54.0",
      "55.5, 28, 42, 42.0"})
  void standard(String kg, int dose, String mgPerHour, String mlPerHour) {
    InfusionOrder o = order(IndicationGroup.PERIPHERAL, kg, SiteSettings.defaults());
    assertThat(o.doseMg()).isEqualTo(dose);
    assertThat(o.rateMgPerHour()).isEqualByComparingTo(mgPerHour);
    assertThat(o.rateMlPerHour().toPlainString()).isEqualTo(mlPerHour);
    assertThat(o.minutes()).isEqualTo(40);
    assertThat(o.courseTotalMg()).isEqualTo(dose * 5);
  }

  @Test
  void standardAtThreeMgPerMlRoundsTheMlPerHourHalfUp() {
    // 41 mg over 40 min = 61.5 mg/h; ÷ 3 mg/mL = 20.5 mL/h; 41 ÷ 3 = 13.666… → 13.7 mL
    InfusionOrder o = order(IndicationGroup.PERIPHERAL, "82.0", concentration("3"));
    assertThat(o.rateMlPerHour().toPlainString()).isEqualTo("20.5");
    assertThat(o.volumeMl().toPlainString()).isEqualTo("13.7");
  }

  @Test
  void sciIs16MgPerHourWhateverTheWeight() {
    InfusionOrder o = order(IndicationGroup.CENTRAL, "95.3", SiteSettings.defaults());
    assertThat(o.doseMg()).isEqualTo(80);
    assertThat(o.rateMgPerHour()).isEqualByComparingTo("16");
    assertThat(o.rateMlPerHour().toPlainString()).isEqualTo("16.0");
    assertThat(o.volumeMl().toPlainString()).isEqualTo("80.0");
    assertThat(o.courseTotalMg()).isEqualTo(560);
    assertThat(o.perSession()).isEqualTo("80 mg in 80.0 mL over 300 min at 16 mg/h = 16.0 mL/h");
  }

  @Test
  void theOrderStatesStopCriteriaDischargeAndNoDrugTheSiteDidNotName() {
    InfusionOrder o = order(IndicationGroup.CRPS, "80.0", SiteSettings.defaults());
    assertThat(o.stopCriteria()).contains("Systolic blood pressure above 180 mmHg or diastolic above 100 mmHg",
        "SpO2 below 92 %", "Heart rate above 120 /min");
    assertThat(o.premedication()).isEmpty();
    assertThat(o.rescue()).isEmpty();
    assertThat(o.inWords()).contains("Premedication: none configured by the site")
        .contains("Rescue drugs: none configured by the site").contains("No driving for 24 hours")
        .contains("An adult escort home").contains("Course total: 1000 mg over 10 sessions")
        .doesNotContainIgnoringCase("midazolam").doesNotContainIgnoringCase("ondansetron");
    assertThat(o.solution()).isEqualTo("1 mg/mL ketamine in 0.9 % sodium chloride");
  }

  @Test
  void theSiteNamesItsDrugsAndThresholds() {
    SiteSettings site = new SiteSettings(BigDecimal.ONE, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.of(),
        new SiteSettings.StopThresholds(170, 95, 90, 110), List.of("ondansetron 4 mg IV before the infusion"),
        List.of("midazolam 1 mg IV for a distressing emergence reaction"));
    InfusionOrder o = order(IndicationGroup.CRPS, "80.0", site);
    assertThat(o.stopCriteria()).contains("Systolic blood pressure above 170 mmHg or diastolic above 95 mmHg",
        "SpO2 below 90 %", "Heart rate above 110 /min");
    assertThat(o.inWords()).contains("Premedication: ondansetron 4 mg IV before the infusion")
        .contains("Rescue drugs: midazolam 1 mg IV for a distressing emergence reaction");
  }

  @Test
  void badSiteSettingsAreRefusedWithTheKeyAndTheRange() {
    SiteSettings d = SiteSettings.defaults();
    assertThatThrownBy(() -> new SiteSettings(BigDecimal.ZERO, d.infusionDays(), d.closures(), d.stop(), List.of(),
        List.of())).hasMessageContaining("concentration-mg-per-ml must be above 0 and at most 10 mg/mL, got 0");
    assertThatThrownBy(() -> new SiteSettings(BigDecimal.ONE, Set.of(), d.closures(), d.stop(), List.of(), List.of()))
        .hasMessageContaining("infusion-days must name at least one weekday");
    assertThatThrownBy(() -> new SiteSettings(BigDecimal.ONE, d.infusionDays(), d.closures(),
        new SiteSettings.StopThresholds(180, 100, 101, 120), List.of(), List.of()))
        .hasMessageContaining("stop.spo2-below must be between 80 and 100 %, got 101");
    assertThatThrownBy(() -> new SiteSettings(BigDecimal.ONE, d.infusionDays(), d.closures(), d.stop(),
        List.of(" "), List.of())).hasMessageContaining("premedication[0] must be a drug with its dose in words");
  }
}
