package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.CodeMatch;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * One pass over a patient record that applies CLINICAL-RULES § 1.1 (what counts at the as-of date)
 * and indexes what the rules read: present conditions by value set, current and past medications by
 * drug class, usable observations by kind. Each distinct code is looked up once, because a long
 * record repeats the same few codes thousands of times.
 */
final class ClinicalFacts {

  static final List<ValueSetId> CONDITION_SETS = List.of(
      ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, ValueSetId.PSYCHOTIC_DISORDERS, ValueSetId.BIPOLAR_DISORDERS,
      ValueSetId.HYPERTENSION, ValueSetId.HEART_FAILURE, ValueSetId.UNSTABLE_ANGINA,
      ValueSetId.MYOCARDIAL_INFARCTION, ValueSetId.STABLE_CARDIOVASCULAR_DISEASE, ValueSetId.ARRHYTHMIA,
      ValueSetId.CEREBROVASCULAR_ACCIDENT, ValueSetId.PREGNANCY, ValueSetId.SEVERE_HEPATIC_DISEASE,
      ValueSetId.LIVER_DISEASE, ValueSetId.SUBSTANCE_USE_DISORDERS, ValueSetId.GLAUCOMA,
      ValueSetId.INTRACRANIAL_HYPERTENSION, ValueSetId.HYPERTHYROIDISM);

  static final List<ValueSetId> MEDICATION_SETS = List.of(
      ValueSetId.FIRST_LINE_NEUROPATHIC_AGENTS, ValueSetId.OPIOIDS, ValueSetId.BENZODIAZEPINES,
      ValueSetId.CNS_DEPRESSANTS, ValueSetId.SYMPATHOMIMETICS, ValueSetId.MAOIS, ValueSetId.XANTHINES);

  private static final Set<String> USABLE_OBSERVATION_STATUSES = Set.of("final", "amended", "corrected",
      "preliminary");
  private static final Set<String> MMHG_UNITS = Set.of("mm[Hg]", "mmHg", "mm Hg");
  private static final String PREGNANT = "77386006";

  private final PatientFacts patient;
  private final LocalDate asOf;
  private final RuleSettings settings;
  private final Terminology terminology;
  private final UnitConverter units;

  private final Map<ValueSetId, List<PresentCondition>> conditions = new EnumMap<>(ValueSetId.class);
  private final Map<ValueSetId, List<MedicationUse>> medications = new EnumMap<>(ValueSetId.class);
  private final List<AllergyRecord> ketamineAllergies = new ArrayList<>();
  private final Map<Instant, BloodPressureParts> bloodPressureParts = new HashMap<>();
  private final Map<String, List<Measurement>> measurements = new HashMap<>();
  private final List<PregnancyEvidence> pregnancyEvidence = new ArrayList<>();
  private final Set<String> dataProblems = new LinkedHashSet<>();

  private final Map<Concept, List<CodeMatch>> conditionMatches = new HashMap<>();
  private final Map<Concept, List<CodeMatch>> medicationMatches = new HashMap<>();
  private final Map<Concept, ObservationKind> observationKinds = new HashMap<>();

  private final List<BloodPressureReading> recentBloodPressures;
  private final WeightChoice weight;

  ClinicalFacts(PatientRecord record, LocalDate asOf, RuleSettings settings, Terminology terminology,
      UnitConverter units) {
    this.patient = record.patient();
    this.asOf = asOf;
    this.settings = settings;
    this.terminology = terminology;
    this.units = units;
    record.conditions().forEach(this::indexCondition);
    record.medications().forEach(this::indexMedication);
    record.observations().forEach(this::indexObservation);
    record.allergies().forEach(this::indexAllergy);
    collectPregnancyConditions();
    this.recentBloodPressures = convertRecentBloodPressures();
    this.weight = chooseWeight();
  }

  PatientFacts patient() {
    return patient;
  }

  LocalDate asOf() {
    return asOf;
  }

  RuleSettings settings() {
    return settings;
  }

  /** Present conditions (active and historical) in the value set, in record order. */
  List<PresentCondition> conditions(ValueSetId valueSet) {
    return conditions.getOrDefault(valueSet, List.of());
  }

  List<PresentCondition> activeConditions(ValueSetId valueSet) {
    return conditions(valueSet).stream().filter(PresentCondition::active).toList();
  }

  /** Current and past uses of drugs of the class, in record order. */
  List<MedicationUse> medications(ValueSetId drugClass) {
    return medications.getOrDefault(drugClass, List.of());
  }

  List<MedicationUse> currentMedications(ValueSetId drugClass) {
    return medications(drugClass).stream().filter(MedicationUse::current).toList();
  }

  List<AllergyRecord> ketamineAllergies() {
    return ketamineAllergies;
  }

  /** Blood pressure readings within the BP window, newest first, in mmHg. */
  List<BloodPressureReading> recentBloodPressures() {
    return recentBloodPressures;
  }

  /** The usable observation of the kind with the greatest effective time within {@code days}; null when none. */
  Measurement latestWithin(String kind, int days) {
    Measurement latest = null;
    for (Measurement m : measurements.getOrDefault(kind, List.of())) {
      if (withinDays(m.date(), days) && m.isNewerThan(latest)) {
        latest = m;
      }
    }
    return latest;
  }

  /** All usable observations of the kind within {@code days}, in record order. */
  List<Measurement> allWithin(String kind, int days) {
    return measurements.getOrDefault(kind, List.of()).stream().filter(m -> withinDays(m.date(), days)).toList();
  }

  List<PregnancyEvidence> pregnancyEvidence() {
    return pregnancyEvidence;
  }

  WeightChoice weight() {
    return weight;
  }

  /** Records data that could not be used (shown as a warning; never a patient's name or birth date). */
  void problem(String problem) {
    dataProblems.add(problem);
  }

  List<String> dataProblems() {
    return List.copyOf(dataProblems);
  }

  /** Whether a date lies in {@code [asOf − days, asOf]}. */
  boolean withinDays(LocalDate date, int days) {
    if (date == null || date.isAfter(asOf)) {
      return false;
    }
    return days == Integer.MAX_VALUE || !date.isBefore(asOf.minusDays(days));
  }

  // ---- conditions --------------------------------------------------------------------------

  private void indexCondition(ConditionRecord condition) {
    if (condition.verificationStatus().ignored()) {
      return;
    }
    LocalDate date = condition.date();
    if (date != null && date.isAfter(asOf)) {
      return;
    }
    List<CodeMatch> matches = conditionMatches.computeIfAbsent(condition.code(),
        code -> matchAll(CONDITION_SETS, code));
    if (matches.isEmpty()) {
      return;
    }
    boolean active = isActive(condition);
    for (CodeMatch match : matches) {
      boolean activeHere = active;
      if (match.valueSet() == ValueSetId.SUBSTANCE_USE_DISORDERS && saysInRemission(condition.code(), match)) {
        activeHere = false; // § 7.6: "in remission" is historical whatever the clinicalStatus says
      }
      conditions.computeIfAbsent(match.valueSet(), k -> new ArrayList<>())
          .add(new PresentCondition(condition, match, activeHere));
    }
  }

  private boolean isActive(ConditionRecord condition) {
    if (condition.clinicalStatus() != null) {
      return condition.clinicalStatus().isActive(); // § 7.4: the status wins over an abatement
    }
    boolean abatedByAsOf = condition.abated()
        && (condition.abatementDate() == null || !condition.abatementDate().isAfter(asOf));
    return !abatedByAsOf;
  }

  private static boolean saysInRemission(Concept code, CodeMatch match) {
    if (containsInRemission(match.matchedCode().display()) || containsInRemission(code.text())) {
      return true;
    }
    for (Code coding : code.codings()) {
      if (containsInRemission(coding.display())) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsInRemission(String text) {
    return text != null && text.toLowerCase(Locale.ROOT).contains("in remission");
  }

  private void collectPregnancyConditions() {
    for (PresentCondition pregnancy : activeConditions(ValueSetId.PREGNANCY)) {
      LocalDate date = pregnancy.date();
      if (date == null || withinDays(date, settings.pregnancyWindowDays())) {
        pregnancyEvidence.add(new PregnancyEvidence(pregnancy.reference(), date, true, pregnancy.describe()));
      }
    }
  }

  // ---- medications -------------------------------------------------------------------------

  private void indexMedication(MedicationRecord medication) {
    if (medication.start() != null && medication.start().isAfter(asOf)) {
      return;
    }
    Use use = use(medication);
    if (use == Use.IGNORED) {
      return;
    }
    List<CodeMatch> matches = medicationMatches.computeIfAbsent(medication.medication(),
        code -> matchAll(MEDICATION_SETS, code));
    if (matches.isEmpty()) {
      return;
    }
    boolean intended = medication.kind() == MedicationRecord.Kind.STATEMENT && "intended".equals(medication.status());
    for (CodeMatch match : matches) {
      medications.computeIfAbsent(match.valueSet(), k -> new ArrayList<>())
          .add(new MedicationUse(medication, match, use == Use.CURRENT, intended));
    }
  }

  private enum Use { CURRENT, PAST, IGNORED }

  private Use use(MedicationRecord medication) {
    String status = medication.status() == null ? "" : medication.status();
    boolean currentStatus = switch (status) {
      case "active", "on-hold", "unknown" -> true;
      case "intended" -> medication.kind() == MedicationRecord.Kind.STATEMENT;
      default -> false;
    };
    if (currentStatus) {
      boolean ended = medication.end() != null && medication.end().isBefore(asOf);
      return ended ? Use.PAST : Use.CURRENT;
    }
    // § 7.7: completed/stopped is past whatever its period says
    return "completed".equals(status) || "stopped".equals(status) ? Use.PAST : Use.IGNORED;
  }

  // ---- allergies ---------------------------------------------------------------------------

  private void indexAllergy(AllergyRecord allergy) {
    String verification = allergy.verificationStatus();
    String clinical = allergy.clinicalStatus();
    if ("refuted".equals(verification) || "entered-in-error".equals(verification)
        || "inactive".equals(clinical) || "resolved".equals(clinical)) {
      return;
    }
    if (terminology.contains(ValueSetId.KETAMINE, allergy.substance())) {
      ketamineAllergies.add(allergy);
    }
  }

  // ---- observations ------------------------------------------------------------------------

  private record ObservationKind(String group, boolean hcg) {
    static final ObservationKind NONE = new ObservationKind(null, false);
  }

  private ObservationKind kind(Concept code) {
    return observationKinds.computeIfAbsent(code, c -> {
      Optional<CodeMatch> vital = terminology.match(ValueSetId.OBSERVATION_CODES, c);
      if (vital.isPresent()) {
        return new ObservationKind(vital.get().group(), false);
      }
      return terminology.match(ValueSetId.HCG_TESTS, c)
          .map(m -> new ObservationKind(m.group(), true))
          .orElse(ObservationKind.NONE);
    });
  }

  private void indexObservation(ObservationRecord observation) {
    if (observation.status() == null || !USABLE_OBSERVATION_STATUSES.contains(observation.status())) {
      return;
    }
    ObservationRecord.Effective effective = observation.effective();
    if (effective == null || effective.date().isAfter(asOf)) {
      return;
    }
    ObservationKind kind = kind(observation.code());
    if (kind.group() == null) {
      return;
    }
    if (kind.hcg()) {
      indexHcg(observation);
      return;
    }
    switch (kind.group()) {
      case "blood-pressure-panel" -> {
        for (ObservationRecord.Component component : observation.components()) {
          String part = kind(component.code()).group();
          if (("systolic".equals(part) || "diastolic".equals(part))
              && component.value() instanceof ObservationRecord.QuantityValue q) {
            addBloodPressure(observation, part, q.quantity());
          }
        }
      }
      case "systolic", "diastolic" -> {
        if (observation.value() instanceof ObservationRecord.QuantityValue q) {
          addBloodPressure(observation, kind.group(), q.quantity());
        }
      }
      case "pregnancy-status" -> {
        if (observation.value() instanceof ObservationRecord.CodedValue coded) {
          boolean pregnant = hasCode(coded.concept(), PREGNANT);
          pregnancyEvidenceFrom(observation, pregnant,
              "pregnancy status '" + coded.concept().label() + "'");
        }
      }
      default -> {
        if (observation.value() instanceof ObservationRecord.QuantityValue q) {
          measurements.computeIfAbsent(kind.group(), k -> new ArrayList<>())
              .add(new Measurement(observation, q.quantity()));
        }
      }
    }
  }

  private void indexHcg(ObservationRecord observation) {
    HcgResult.of(observation).ifPresent(r -> pregnancyEvidenceFrom(observation, r.positive(), r.description()));
  }

  private void pregnancyEvidenceFrom(ObservationRecord observation, boolean positive, String what) {
    LocalDate date = observation.effective().date();
    if (withinDays(date, settings.pregnancyWindowDays())) {
      pregnancyEvidence.add(new PregnancyEvidence(observation.reference(), date, positive, what + " on " + date));
    }
  }

  private static boolean hasCode(Concept concept, String code) {
    for (Code coding : concept.codings()) {
      if (code.equals(coding.code())) {
        return true;
      }
    }
    return false;
  }

  private void addBloodPressure(ObservationRecord observation, String part, Quantity value) {
    BloodPressureParts parts = bloodPressureParts.computeIfAbsent(observation.effective().instant(),
        k -> new BloodPressureParts(observation.effective()));
    if ("systolic".equals(part) && parts.systolic == null) {
      parts.systolic = value;
      parts.addReference(observation.reference());
    } else if ("diastolic".equals(part) && parts.diastolic == null) {
      parts.diastolic = value;
      parts.addReference(observation.reference());
    }
  }

  /** Systolic and diastolic collected at one instant, before unit conversion. */
  private static final class BloodPressureParts {
    final ObservationRecord.Effective effective;
    Quantity systolic;
    Quantity diastolic;
    final List<String> references = new ArrayList<>(2);

    BloodPressureParts(ObservationRecord.Effective effective) {
      this.effective = effective;
    }

    void addReference(String reference) {
      if (!references.contains(reference)) {
        references.add(reference);
      }
    }
  }

  private List<BloodPressureReading> convertRecentBloodPressures() {
    List<BloodPressureReading> readings = new ArrayList<>();
    for (BloodPressureParts parts : bloodPressureParts.values()) {
      if (!withinDays(parts.effective.date(), settings.bloodPressureWindowDays())) {
        continue;
      }
      BigDecimal systolic = inMmHg(parts.systolic, parts, "systolic");
      BigDecimal diastolic = inMmHg(parts.diastolic, parts, "diastolic");
      if (systolic != null || diastolic != null) {
        readings.add(new BloodPressureReading(parts.effective, systolic, diastolic, parts.references));
      }
    }
    readings.sort(Comparator.comparing(BloodPressureReading::effective).reversed());
    return List.copyOf(readings);
  }

  private BigDecimal inMmHg(Quantity quantity, BloodPressureParts parts, String which) {
    if (quantity == null) {
      return null;
    }
    String unit = quantity.unitForConversion();
    if (unit == null || unit.isBlank() || MMHG_UNITS.contains(unit)) {
      return quantity.value(); // docs/clinical-rules.md § 1.2: a BP without a unit is taken as mmHg
    }
    Optional<BigDecimal> converted = units.convert(quantity, "mm[Hg]");
    if (converted.isEmpty()) {
      dataProblems.add(String.join(", ", parts.references) + ": " + which + " blood pressure " + quantity
          + " on " + parts.effective.date() + " has a unit that does not convert to mm[Hg]; not used");
      return null;
    }
    return converted.get();
  }

  // ---- weight ------------------------------------------------------------------------------

  /** The dosing weight (null when none) and the body weights that were looked at. */
  record WeightChoice(BodyWeight weight, List<String> lookedAt, List<String> skipped) {}

  private WeightChoice chooseWeight() {
    List<Measurement> candidates = new ArrayList<>(allWithin("body-weight", settings.weightWindowDays()));
    candidates.sort(Comparator.comparing((Measurement m) -> m.observation().effective()).reversed());
    List<String> lookedAt = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Measurement candidate : candidates) {
      lookedAt.add(candidate.reference());
      Optional<BigDecimal> kg = inKilograms(candidate.quantity());
      if (kg.isPresent()) {
        return new WeightChoice(new BodyWeight(kg.get(), candidate.date(), candidate.reference()), lookedAt, skipped);
      }
      String problem = candidate.reference() + ": body weight " + candidate.quantity() + " on " + candidate.date()
          + " has a unit that does not convert to kg; not used (record it in kg, g or [lb_av])";
      skipped.add(problem);
      dataProblems.add(problem);
    }
    return new WeightChoice(null, lookedAt, skipped);
  }

  private Optional<BigDecimal> inKilograms(Quantity quantity) {
    if ("kg".equals(quantity.unitForConversion())) {
      return Optional.of(quantity.value());
    }
    if (quantity.unitForConversion() == null || quantity.unitForConversion().isBlank()) {
      return Optional.empty();
    }
    return units.convert(quantity, "kg");
  }

  // ---- lookups -----------------------------------------------------------------------------

  private List<CodeMatch> matchAll(List<ValueSetId> valueSets, Concept concept) {
    if (concept.codings().isEmpty() && (concept.text() == null || concept.text().isBlank())) {
      return List.of();
    }
    List<CodeMatch> matches = new ArrayList<>(1);
    for (ValueSetId valueSet : valueSets) {
      terminology.match(valueSet, concept).ifPresent(matches::add);
    }
    return matches.isEmpty() ? List.of() : matches;
  }
}
