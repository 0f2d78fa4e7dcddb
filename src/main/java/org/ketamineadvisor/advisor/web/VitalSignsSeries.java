package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.QuantityValue;
import org.ketamineadvisor.advisor.course.PainScores;
import org.ketamineadvisor.advisor.terminology.CodeMatch;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * The patient's blood pressure, heart rate, pain scores and weight over time, for the charts, taken from the
 * mapped observations and classified by the same code lists as the rules ({@code observation-codes}). Blood
 * pressure comes from panels or from separate systolic/diastolic observations taken at the same time.
 */
record VitalSignsSeries(List<BloodPressurePoint> bloodPressure, List<Point> heartRate, List<Point> pain,
    List<Point> weightKg, List<LabPoint> alt, List<LabPoint> ast) {

  /** A liver test (U/L) with the upper limit of normal its lab reported (null when none was given). */
  record LabPoint(LocalDate date, BigDecimal value, BigDecimal upperLimit, String reference) {}

  /** One value on one day; {@code reference} names the record it came from. */
  record Point(LocalDate date, BigDecimal value, String reference) {}

  /** Systolic and diastolic at one time; either may be null when only one was recorded. */
  record BloodPressurePoint(LocalDate date, BigDecimal systolic, BigDecimal diastolic, String reference) {}

  /** The series of the observations dated on or before {@code asOf} (§ 7.3: later data is not charted either). */
  static VitalSignsSeries from(List<ObservationRecord> observations, LocalDate asOf, Terminology terminology,
      UnitConverter units) {
    return from(observations.stream().filter(o -> o.effective() != null && !o.effective().date().isAfter(asOf))
        .toList(), terminology, units);
  }

  static VitalSignsSeries from(List<ObservationRecord> observations, Terminology terminology, UnitConverter units) {
    Map<java.time.Instant, BigDecimal[]> pressures = new TreeMap<>();
    Map<java.time.Instant, LocalDate> pressureDays = new TreeMap<>();
    Map<java.time.Instant, String> pressureRefs = new TreeMap<>();
    List<Point> heart = new ArrayList<>();
    // the pain scores as the course's outcome reads them (one extraction for the chart and the outcome)
    List<Point> pain = new ArrayList<>(PainScores.of(observations, terminology).stream()
        .map(p -> new Point(p.date(), p.score(), p.reference())).toList());
    List<Point> weight = new ArrayList<>();
    List<LabPoint> alt = new ArrayList<>();
    List<LabPoint> ast = new ArrayList<>();
    for (ObservationRecord o : observations) {
      if (o.effective() == null || "entered-in-error".equals(o.status())) {
        continue;
      }
      String group = group(o.code(), terminology);
      if (group == null) {
        continue;
      }
      LocalDate day = o.effective().date();
      switch (group) {
        case "blood-pressure-panel" -> {
          for (ObservationRecord.Component c : o.components()) {
            String part = group(c.code(), terminology);
            number(c.value()).ifPresent(v -> addPressure(pressures, pressureDays, pressureRefs, o, part, v));
          }
        }
        case "systolic", "diastolic" ->
            number(o.value()).ifPresent(v -> addPressure(pressures, pressureDays, pressureRefs, o, group, v));
        case "heart-rate" -> number(o.value()).ifPresent(v -> heart.add(new Point(day, v, o.reference())));
        case "body-weight" -> {
          if (o.value() instanceof QuantityValue q) {
            units.convert(q.quantity(), "kg").ifPresent(kg -> weight.add(new Point(day,
                kg.setScale(1, java.math.RoundingMode.HALF_UP), o.reference())));
          }
        }
        case "alt", "ast" -> number(o.value()).ifPresent(v -> ("alt".equals(group) ? alt : ast).add(new LabPoint(day,
            v, o.referenceHigh() == null ? null : o.referenceHigh().value(), o.reference())));
        default -> { }
      }
    }
    List<BloodPressurePoint> bp = new ArrayList<>();
    pressures.forEach((at, values) -> bp.add(new BloodPressurePoint(pressureDays.get(at), values[0], values[1],
        pressureRefs.get(at))));
    Comparator<Point> byDate = Comparator.comparing(Point::date);
    heart.sort(byDate);
    pain.sort(byDate);
    weight.sort(byDate);
    alt.sort(Comparator.comparing(LabPoint::date));
    ast.sort(Comparator.comparing(LabPoint::date));
    return new VitalSignsSeries(List.copyOf(bp), List.copyOf(heart), List.copyOf(pain), List.copyOf(weight),
        List.copyOf(alt), List.copyOf(ast));
  }

  boolean isEmpty() {
    return bloodPressure.isEmpty() && heartRate.isEmpty() && pain.isEmpty() && weightKg.isEmpty() && alt.isEmpty()
        && ast.isEmpty();
  }

  private static void addPressure(Map<java.time.Instant, BigDecimal[]> pressures,
      Map<java.time.Instant, LocalDate> days, Map<java.time.Instant, String> refs, ObservationRecord o, String part,
      BigDecimal value) {
    int index = "systolic".equals(part) ? 0 : "diastolic".equals(part) ? 1 : -1;
    if (index < 0) {
      return;
    }
    java.time.Instant at = o.effective().instant();
    pressures.computeIfAbsent(at, k -> new BigDecimal[2])[index] = value;
    days.putIfAbsent(at, o.effective().date());
    refs.putIfAbsent(at, o.reference());
  }

  private static String group(Concept code, Terminology terminology) {
    return terminology.match(ValueSetId.OBSERVATION_CODES, code).map(CodeMatch::group).orElse(null);
  }

  private static Optional<BigDecimal> number(ObservationRecord.ObservationValue value) {
    return value instanceof QuantityValue q && q.number() != null ? Optional.of(q.number()) : Optional.empty();
  }
}
