package org.ketamineadvisor.advisor.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.assessment.ClinicalRecordBuilders.*;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

class RuleSettingsTest {

  @Test
  void theDefaultsAreTheSpecificationsNumbers() {
    RuleSettings d = RuleSettings.defaults();
    assertThat(d.bloodPressureWindowDays()).isEqualTo(30);
    assertThat(d.uncontrolledSystolic()).isEqualTo(180);
    assertThat(d.uncontrolledDiastolic()).isEqualTo(100);
    assertThat(d.elevatedSystolic()).isEqualTo(140);
    assertThat(d.elevatedDiastolic()).isEqualTo(90);
    assertThat(d.tachycardiaRate()).isEqualTo(100);
    assertThat(d.recentCardiovascularEventDays()).isEqualTo(180);
    assertThat(d.pregnancyWindowDays()).isEqualTo(294);
    assertThat(d.liverTestWindowDays()).isEqualTo(90);
    assertThat(d.severeLiverTestMultiple()).isEqualByComparingTo("3");
    assertThat(d.liverTestUpperLimitDefault()).isEqualByComparingTo("40");
    assertThat(d.weightWindowDays()).isEqualTo(90);
    assertThat(d.painScoreWindowDays()).isEqualTo(90);
    assertThat(d.intraocularPressureLimit()).isEqualTo(21);
    assertThat(d.intraocularPressureWindowDays()).isEqualTo(365);
    assertThat(d.adultAge()).isEqualTo(18);
  }

  @Test
  void aNonPositiveNumberIsRefusedByName() {
    assertThatThrownBy(() -> new RuleSettings(0, 180, 100, 140, 90, 30, 100, 180, 294, 90, BigDecimal.ONE,
        BigDecimal.TEN, 90, 90, 21, 365, 18))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bloodPressureWindowDays");
    assertThatThrownBy(() -> new RuleSettings(30, 180, 100, 140, 90, 30, 100, 180, 294, 90, BigDecimal.ZERO,
        BigDecimal.TEN, 90, 90, 21, 365, 18))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("severeLiverTestMultiple");
  }

  @Test
  void aPrecautionThresholdAboveTheContraindicationIsRefused() {
    assertThatThrownBy(() -> new RuleSettings(30, 180, 100, 190, 90, 30, 100, 180, 294, 90, BigDecimal.ONE,
        BigDecimal.TEN, 90, 90, 21, 365, 18))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("precaution BP threshold");
  }

  @Test
  void aSiteSettingChangesTheRule() {
    RuleSettings strictWindow = new RuleSettings(7, 180, 100, 140, 90, 30, 100, 180, 294, 90, new BigDecimal("3"),
        new BigDecimal("40"), 90, 90, 21, 365, 21);
    AssessmentEngine engine = new AssessmentEngine(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
        strictWindow);
    Assessment assessment = engine.assess(aPatient().born(T.minusYears(20))
        .with(aBloodPressure(190, 80).on(daysBefore(8))).build(), T);
    assertThat(assessment.outcome(RuleId.CI_UNCONTROLLED_HTN)).isEqualTo(Outcome.NOT_MET);
    assertThat(assessment.outcome(RuleId.IND_ADULT)).isEqualTo(Outcome.NOT_MET);
  }
}
