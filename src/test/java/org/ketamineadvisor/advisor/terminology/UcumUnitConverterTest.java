package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UcumUnitConverterTest {

  private final UcumUnitConverter converter = new UcumUnitConverter();

  private static Quantity ucum(String value, String code) {
    return new Quantity(new BigDecimal(value), code, Quantity.UCUM, code);
  }

  private Optional<BigDecimal> toKg(Quantity q) {
    return converter.convert(q, "kg");
  }

  @Test
  void convertsWeightsToKilograms() {
    assertThat(toKg(ucum("80", "kg"))).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("80"));
    assertThat(toKg(ucum("80500", "g"))).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("80.5"));
    assertThat(toKg(ucum("176", "[lb_av]")))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(new BigDecimal("79.832"), within("0.001")));
    assertThat(toKg(ucum("16", "[oz_av]")))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(new BigDecimal("0.45359"), within("0.00001")));
  }

  @Test
  void keepsMillimetresOfMercury() {
    assertThat(converter.convert(ucum("142", "mm[Hg]"), "mm[Hg]"))
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("142"));
  }

  @Test
  void convertsKilopascalsToMillimetresOfMercury() {
    assertThat(converter.convert(ucum("16", "kPa"), "mm[Hg]"))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(new BigDecimal("120.01"), within("0.01")));
  }

  @Test
  void usesTheFreeTextUnitWhenNotCodedInUcum() {
    Quantity pounds = new Quantity(new BigDecimal("200"), "lbs", null, null);
    assertThat(toKg(pounds)).hasValueSatisfying(v -> assertThat(v).isCloseTo(new BigDecimal("90.718"), within("0.001")));
    Quantity mmHg = new Quantity(new BigDecimal("120"), "mmHg", null, null);
    assertThat(converter.convert(mmHg, "mm[Hg]")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("120"));
  }

  @Test
  void unknownOrIncommensurableUnitsGiveEmptyAndNeverThrow() {
    assertThat(toKg(ucum("80", "stone-ish"))).isEmpty();
    assertThat(toKg(ucum("80", "cm"))).isEmpty();
    assertThat(toKg(ucum("80", "mm[Hg]"))).isEmpty();
    assertThat(toKg(new Quantity(BigDecimal.TEN, null, null, null))).isEmpty();
    assertThat(converter.convert(ucum("80", "kg"), "not a unit")).isEmpty();
  }

  private static org.assertj.core.data.Offset<BigDecimal> within(String tolerance) {
    return org.assertj.core.data.Offset.offset(new BigDecimal(tolerance));
  }
}
