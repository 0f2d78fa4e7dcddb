package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;

/**
 * An Observation, normalised. {@code effective} is null when the record has no usable effective
 * time; {@code value} is null when there is none (or a dataAbsentReason); {@code referenceHigh} is
 * the first referenceRange.high (null when absent).
 */
public record ObservationRecord(
    String reference,
    String status,
    Concept code,
    Effective effective,
    ObservationValue value,
    List<Component> components,
    Quantity referenceHigh) {

  public ObservationRecord {
    ConditionRecord.requireReference(reference);
    code = code == null ? Concept.EMPTY : code;
    components = components == null ? List.of() : List.copyOf(components);
  }

  /**
   * When it was observed: the calendar date as written (its own offset) for windows, and an instant
   * for ordering and for pairing separate systolic/diastolic observations taken at the same time; {@code timed}
   * false when only a date was written (its instant is then the start of that day in UTC).
   */
  public record Effective(LocalDate date, Instant instant, boolean timed) implements Comparable<Effective> {
    public Effective {
      if (date == null || instant == null) {
        throw new IllegalArgumentException("an effective time needs a date and an instant");
      }
    }

    /** A time written with its time of day. */
    public Effective(LocalDate date, Instant instant) {
      this(date, instant, true);
    }

    @Override
    public int compareTo(Effective other) {
      return instant.compareTo(other.instant);
    }
  }

  /** One component (e.g. systolic in a BP panel). */
  public record Component(Concept code, ObservationValue value) {}

  /** Observation.value[x]: a quantity, a coded value, or another type the rules do not read. */
  public sealed interface ObservationValue permits QuantityValue, CodedValue, OtherValue {}

  public record QuantityValue(Quantity quantity) implements ObservationValue {
    public BigDecimal number() {
      return quantity.value();
    }
  }

  public record CodedValue(Concept concept) implements ObservationValue {}

  /** A value of a type the rules do not use (string, boolean, …); kept so "a value is present" holds. */
  public record OtherValue(String type) implements ObservationValue {}
}
