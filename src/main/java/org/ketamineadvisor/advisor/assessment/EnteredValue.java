package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;

/**
 * A value a clinician entered to settle a data rule (CLINICAL-RULES § 2.4, "by value"): measured now or found
 * elsewhere, with the time it was measured. It is a reading like any recorded one — every rule reads it, so an
 * entered BP of 190/105 makes CI-UNCONTROLLED-HTN met — and on signing it is written back as an Observation.
 * {@code author} is the clinician's FHIR reference; {@code authorName} how the page names them.
 */
public record EnteredValue(Reading reading, Instant measuredAt, String author, String authorName,
    Instant enteredAt) implements java.io.Serializable {

  static final String LOINC = "http://loinc.org";

  public EnteredValue {
    if (reading == null || measuredAt == null || enteredAt == null) {
      throw new IllegalArgumentException("an entered value needs the value, when it was measured and when entered");
    }
    if (author == null || author.isBlank()) {
      throw new IllegalArgumentException("an entered value needs its author");
    }
    authorName = authorName == null || authorName.isBlank() ? author : authorName;
  }

  /** The data rule this value settles. */
  public RuleId rule() {
    return reading.rule();
  }

  /** The calendar date of the measurement (UTC), what the rules' windows compare. */
  public LocalDate measuredOn() {
    return measuredAt.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** The observations the rules read (two for liver tests: ALT and AST), each with its own stable reference. */
  public List<ObservationRecord> observations() {
    ObservationRecord.Effective effective = new ObservationRecord.Effective(measuredOn(), measuredAt);
    List<ObservationRecord> out = new ArrayList<>();
    for (Part part : reading.parts()) {
      List<ObservationRecord.Component> components = part.components().stream()
          .map(c -> new ObservationRecord.Component(Concept.of(c.code()), new ObservationRecord.QuantityValue(c.value())))
          .toList();
      out.add(new ObservationRecord(reference(part), "final", Concept.of(part.code()), effective,
          part.value() == null ? null : new ObservationRecord.QuantityValue(part.value()), components,
          part.upperLimit()));
    }
    return out;
  }

  /** The references of {@link #observations()}, which findings then carry as evidence. */
  public List<String> references() {
    return reading.parts().stream().map(this::reference).toList();
  }

  /** "BP 190/105 mmHg measured 2026-06-01 09:10 UTC". */
  public String describe() {
    return reading.describe() + " measured " + EvidenceText.minute(measuredAt);
  }

  private String reference(Part part) {
    String key = part.code().code() + "|" + reading.describe() + "|" + measuredAt + "|" + author + "|" + enteredAt;
    return "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }

  /** One observation of a reading: its LOINC code, its value (or components) and the lab's upper limit. */
  public record Part(Code code, Quantity value, List<PartComponent> components, Quantity upperLimit) {
    public Part {
      components = components == null ? List.of() : List.copyOf(components);
    }
  }

  public record PartComponent(Code code, Quantity value) {}

  /** What was entered, by kind. */
  public sealed interface Reading extends java.io.Serializable permits BloodPressure, Weight, PainScore, LiverTests {
    RuleId rule();

    List<Part> parts();

    String describe();
  }

  /** Systolic and diastolic in mmHg. */
  public record BloodPressure(int systolic, int diastolic) implements Reading {
    public BloodPressure {
      if (systolic < 40 || systolic > 300 || diastolic < 20 || diastolic > 200 || diastolic >= systolic) {
        throw new IllegalArgumentException("a blood pressure is systolic 40-300 over diastolic 20-200 mmHg, the "
            + "systolic above the diastolic");
      }
    }

    @Override
    public RuleId rule() {
      return RuleId.DATA_BP;
    }

    @Override
    public List<Part> parts() {
      return List.of(new Part(loinc("85354-9", "Blood pressure panel with all children optional"), null,
          List.of(new PartComponent(loinc("8480-6", "Systolic blood pressure"), mmHg(systolic)),
              new PartComponent(loinc("8462-4", "Diastolic blood pressure"), mmHg(diastolic))), null));
    }

    @Override
    public String describe() {
      return "BP " + systolic + "/" + diastolic + " mmHg";
    }

    private static Quantity mmHg(int value) {
      return new Quantity(BigDecimal.valueOf(value), "mmHg", Quantity.UCUM, "mm[Hg]");
    }
  }

  /** Body weight in kg or lb ({@code unit} "kg" or "lb"). */
  public record Weight(BigDecimal value, String unit) implements Reading {
    public Weight {
      if (!"kg".equals(unit) && !"lb".equals(unit)) {
        throw new IllegalArgumentException("a weight is entered in kg or lb");
      }
      BigDecimal max = "kg".equals(unit) ? BigDecimal.valueOf(400) : BigDecimal.valueOf(880);
      if (value == null || value.signum() <= 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException("a weight is more than 0 and at most " + max + " " + unit);
      }
    }

    @Override
    public RuleId rule() {
      return RuleId.DATA_WEIGHT;
    }

    @Override
    public List<Part> parts() {
      Quantity q = "kg".equals(unit) ? new Quantity(value, "kg", Quantity.UCUM, "kg")
          : new Quantity(value, "lb", Quantity.UCUM, "[lb_av]");
      return List.of(new Part(loinc("29463-7", "Body weight"), q, List.of(), null));
    }

    @Override
    public String describe() {
      return "weight " + value.stripTrailingZeros().toPlainString() + " " + unit;
    }
  }

  /** A pain severity score on the 0–10 numeric rating scale. */
  public record PainScore(int score) implements Reading {
    public PainScore {
      if (score < 0 || score > 10) {
        throw new IllegalArgumentException("a pain score is a whole number from 0 to 10");
      }
    }

    @Override
    public RuleId rule() {
      return RuleId.DATA_PAIN_BASELINE;
    }

    @Override
    public List<Part> parts() {
      return List.of(new Part(loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
          new Quantity(BigDecimal.valueOf(score), "{score}", Quantity.UCUM, "{score}"), List.of(), null));
    }

    @Override
    public String describe() {
      return "pain score " + score + "/10";
    }
  }

  /** ALT and/or AST in U/L with the lab's upper limit of normal (one of the two may be null). */
  public record LiverTests(BigDecimal alt, BigDecimal ast, BigDecimal upperLimit) implements Reading {
    public LiverTests {
      if (alt == null && ast == null) {
        throw new IllegalArgumentException("enter the ALT, the AST or both");
      }
      for (BigDecimal v : new BigDecimal[] {alt, ast}) {
        if (v != null && (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(10_000)) > 0)) {
          throw new IllegalArgumentException("ALT and AST are between 0 and 10000 U/L");
        }
      }
      if (upperLimit == null || upperLimit.signum() <= 0 || upperLimit.compareTo(BigDecimal.valueOf(1000)) > 0) {
        throw new IllegalArgumentException("give the lab's upper limit of normal in U/L (more than 0)");
      }
    }

    @Override
    public RuleId rule() {
      return RuleId.DATA_LFT;
    }

    @Override
    public List<Part> parts() {
      List<Part> parts = new ArrayList<>();
      Quantity uln = unitsPerLitre(upperLimit);
      if (alt != null) {
        parts.add(new Part(loinc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
            unitsPerLitre(alt), List.of(), uln));
      }
      if (ast != null) {
        parts.add(new Part(loinc("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
            unitsPerLitre(ast), List.of(), uln));
      }
      return parts;
    }

    @Override
    public String describe() {
      List<String> values = new ArrayList<>();
      if (alt != null) {
        values.add("ALT " + alt.stripTrailingZeros().toPlainString());
      }
      if (ast != null) {
        values.add("AST " + ast.stripTrailingZeros().toPlainString());
      }
      return String.join(", ", values) + " U/L (upper limit of normal " + upperLimit.stripTrailingZeros().toPlainString()
          + ")";
    }

    private static Quantity unitsPerLitre(BigDecimal v) {
      return new Quantity(v, "U/L", Quantity.UCUM, "U/L");
    }
  }

  private static Code loinc(String code, String display) {
    return new Code(LOINC, code, display);
  }
}
