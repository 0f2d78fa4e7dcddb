package org.ketamineadvisor.advisor.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.UcumService;

/**
 * UCUM conversion with HL7's UCUM library ({@code ucum-essence.xml} from the ucum jar). Unknown or
 * incommensurable units give an empty result, never an exception, so a bad unit makes a value
 * unusable rather than a record unreadable.
 */
public final class UcumUnitConverter implements UnitConverter {

  /**
   * Free-text units seen in EHR data that are not UCUM codes but name one UCUM unit unambiguously.
   * Anything else must be valid UCUM.
   */
  private static final Map<String, String> FREE_TEXT_UNITS =
      Map.of(
          "lb", "[lb_av]",
          "lbs", "[lb_av]",
          "oz", "[oz_av]",
          "mmHg", "mm[Hg]",
          "mm Hg", "mm[Hg]");

  /** Parsing the essence file takes ~100 ms: do it once, on first use. */
  private static final class Essence {
    static final UcumService SERVICE = load();

    private static UcumService load() {
      try (InputStream in = UcumUnitConverter.class.getResourceAsStream("/ucum-essence.xml")) {
        if (in == null) {
          throw new IllegalStateException(
              "ucum-essence.xml is not on the classpath; it ships in org.fhir:ucum, check the dependency");
        }
        return new UcumEssenceService(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read ucum-essence.xml", e);
      } catch (UcumException e) {
        throw new IllegalStateException("ucum-essence.xml is broken: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public Optional<BigDecimal> convert(Quantity quantity, String targetUcumUnit) {
    String source = quantity.unitForConversion();
    if (source == null || source.isBlank() || targetUcumUnit == null || targetUcumUnit.isBlank()) {
      return Optional.empty();
    }
    String from = FREE_TEXT_UNITS.getOrDefault(source.strip(), source.strip());
    if (from.equals(targetUcumUnit)) {
      return Optional.of(quantity.value());
    }
    try {
      Decimal converted =
          Essence.SERVICE.convert(new Decimal(quantity.value().toPlainString()), from, targetUcumUnit);
      return converted == null ? Optional.empty() : Optional.of(new BigDecimal(converted.asDecimal()));
    } catch (UcumException | RuntimeException e) {
      // the library reports unknown and incommensurable units by exceptions (some unchecked)
      return Optional.empty();
    }
  }
}
