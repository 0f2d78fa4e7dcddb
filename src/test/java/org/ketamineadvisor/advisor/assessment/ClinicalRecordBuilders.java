package org.ketamineadvisor.advisor.assessment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.ClinicalStatus;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.VerificationStatus;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.CodedValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.Component;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.Effective;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.ObservationValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.QuantityValue;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;

/** Test data builders for patient records: {@code aPatient().with(aCondition(CRPS).onset(…)).build()}. */
final class ClinicalRecordBuilders {

  /** The as-of date every rule test uses. */
  static final LocalDate T = LocalDate.of(2026, 6, 1);

  private static final AtomicInteger IDS = new AtomicInteger();

  private ClinicalRecordBuilders() {}

  static LocalDate daysBefore(int days) {
    return T.minusDays(days);
  }

  static PatientBuilder aPatient() {
    return new PatientBuilder();
  }

  static ConditionBuilder aCondition(Concept code) {
    return new ConditionBuilder(code);
  }

  static MedicationBuilder aRequest(Concept medication) {
    return new MedicationBuilder(MedicationRecord.Kind.REQUEST, medication);
  }

  static MedicationBuilder aStatement(Concept medication) {
    return new MedicationBuilder(MedicationRecord.Kind.STATEMENT, medication);
  }

  static AllergyBuilder anAllergy(Concept substance) {
    return new AllergyBuilder(substance);
  }

  static ObservationBuilder aBloodPressure(int systolic, int diastolic) {
    return new ObservationBuilder(Codes.BP_PANEL)
        .component(Codes.SYSTOLIC, mmHg(systolic))
        .component(Codes.DIASTOLIC, mmHg(diastolic));
  }

  static ObservationBuilder aSystolic(int value) {
    return new ObservationBuilder(Codes.SYSTOLIC).value(mmHg(value));
  }

  static ObservationBuilder aDiastolic(int value) {
    return new ObservationBuilder(Codes.DIASTOLIC).value(mmHg(value));
  }

  static ObservationBuilder aHeartRate(int perMinute) {
    return new ObservationBuilder(Codes.HEART_RATE).value(quantity(String.valueOf(perMinute), "/min"));
  }

  static ObservationBuilder aWeight(String value, String ucumUnit) {
    return new ObservationBuilder(Codes.BODY_WEIGHT).value(quantity(value, ucumUnit));
  }

  static ObservationBuilder aPainScore(String value) {
    return new ObservationBuilder(Codes.PAIN_SEVERITY).value(quantity(value, "{score}"));
  }

  static ObservationBuilder anAlt(String unitsPerLitre) {
    return new ObservationBuilder(Codes.ALT).value(quantity(unitsPerLitre, "U/L"));
  }

  static ObservationBuilder anAst(String unitsPerLitre) {
    return new ObservationBuilder(Codes.AST).value(quantity(unitsPerLitre, "U/L"));
  }

  static ObservationBuilder aPregnancyStatus(Concept status) {
    return new ObservationBuilder(Codes.PREGNANCY_STATUS).coded(status);
  }

  static ObservationBuilder anHcgTest(Concept result) {
    return new ObservationBuilder(Codes.HCG_URINE).coded(result);
  }

  static ObservationBuilder anHcgLevel(String value) {
    return new ObservationBuilder(Codes.HCG_SERUM_UNITS).value(quantity(value, "[IU]/L"));
  }

  static ObservationBuilder anIntraocularPressure(int mmHg) {
    return new ObservationBuilder(Codes.INTRAOCULAR_PRESSURE).value(mmHg(mmHg));
  }

  static Quantity mmHg(int value) {
    return quantity(String.valueOf(value), "mm[Hg]");
  }

  static Quantity quantity(String value, String ucumUnit) {
    return new Quantity(new BigDecimal(value), ucumUnit, ucumUnit == null ? null : Quantity.UCUM, ucumUnit);
  }

  static String nextId(String prefix) {
    return prefix + IDS.incrementAndGet();
  }

  /** Builds a {@link PatientRecord}: an adult living patient with nothing else, unless told. */
  static final class PatientBuilder {
    private String id = "p1";
    private LocalDate birthDate = LocalDate.of(1980, 3, 15);
    private PatientFacts.AdministrativeSex sex = PatientFacts.AdministrativeSex.FEMALE;
    private boolean deceasedFlag;
    private LocalDate deceasedDate;
    private final List<ConditionRecord> conditions = new ArrayList<>();
    private final List<MedicationRecord> medications = new ArrayList<>();
    private final List<ObservationRecord> observations = new ArrayList<>();
    private final List<AllergyRecord> allergies = new ArrayList<>();
    private final List<PatientRecord.ReadProblem> readProblems = new ArrayList<>();

    PatientBuilder id(String id) {
      this.id = id;
      return this;
    }

    PatientBuilder born(LocalDate birthDate) {
      this.birthDate = birthDate;
      return this;
    }

    PatientBuilder male() {
      this.sex = PatientFacts.AdministrativeSex.MALE;
      return this;
    }

    PatientBuilder deceased() {
      this.deceasedFlag = true;
      return this;
    }

    PatientBuilder died(LocalDate date) {
      this.deceasedDate = date;
      return this;
    }

    PatientBuilder with(ConditionBuilder condition) {
      conditions.add(condition.build());
      return this;
    }

    PatientBuilder with(MedicationBuilder medication) {
      medications.add(medication.build());
      return this;
    }

    PatientBuilder with(ObservationBuilder observation) {
      observations.add(observation.build());
      return this;
    }

    PatientBuilder with(AllergyBuilder allergy) {
      allergies.add(allergy.build());
      return this;
    }

    PatientBuilder unreadable(String resourceType, String reason) {
      readProblems.add(new PatientRecord.ReadProblem(resourceType, reason));
      return this;
    }

    PatientRecord build() {
      return new PatientRecord(new PatientFacts(id, birthDate, sex, deceasedFlag, deceasedDate), conditions,
          medications, observations, allergies, readProblems);
    }
  }

  /** An active, confirmed condition with an onset a year before T, unless told. */
  static final class ConditionBuilder {
    private String id = nextId("Condition/c");
    private final Concept code;
    private ClinicalStatus clinicalStatus = ClinicalStatus.ACTIVE;
    private VerificationStatus verificationStatus = VerificationStatus.CONFIRMED;
    private LocalDate onset = daysBefore(365);
    private LocalDate recorded;
    private boolean abated;
    private LocalDate abatementDate;

    ConditionBuilder(Concept code) {
      this.code = code;
    }

    ConditionBuilder id(String reference) {
      this.id = reference;
      return this;
    }

    ConditionBuilder onset(LocalDate date) {
      this.onset = date;
      return this;
    }

    ConditionBuilder undated() {
      this.onset = null;
      this.recorded = null;
      return this;
    }

    ConditionBuilder recordedOnly(LocalDate date) {
      this.onset = null;
      this.recorded = date;
      return this;
    }

    ConditionBuilder status(ClinicalStatus status) {
      this.clinicalStatus = status;
      return this;
    }

    ConditionBuilder verification(VerificationStatus status) {
      this.verificationStatus = status;
      return this;
    }

    ConditionBuilder abated(LocalDate date) {
      this.abated = true;
      this.abatementDate = date;
      return this;
    }

    ConditionRecord build() {
      return new ConditionRecord(id, code, clinicalStatus, verificationStatus, onset, recorded, abated,
          abatementDate);
    }
  }

  /** An active medication started 30 days before T, unless told. */
  static final class MedicationBuilder {
    private final MedicationRecord.Kind kind;
    private final Concept medication;
    private String id;
    private String status = "active";
    private LocalDate start = daysBefore(30);
    private LocalDate end;

    MedicationBuilder(MedicationRecord.Kind kind, Concept medication) {
      this.kind = kind;
      this.medication = medication;
      this.id = nextId(kind == MedicationRecord.Kind.REQUEST ? "MedicationRequest/m" : "MedicationStatement/s");
    }

    MedicationBuilder id(String reference) {
      this.id = reference;
      return this;
    }

    MedicationBuilder status(String status) {
      this.status = status;
      return this;
    }

    MedicationBuilder start(LocalDate date) {
      this.start = date;
      return this;
    }

    MedicationBuilder end(LocalDate date) {
      this.end = date;
      return this;
    }

    MedicationRecord build() {
      return new MedicationRecord(id, kind, status, medication, start, end);
    }
  }

  /** An active, confirmed allergy, unless told. */
  static final class AllergyBuilder {
    private final Concept substance;
    private String clinicalStatus = "active";
    private String verificationStatus = "confirmed";

    AllergyBuilder(Concept substance) {
      this.substance = substance;
    }

    AllergyBuilder clinicalStatus(String status) {
      this.clinicalStatus = status;
      return this;
    }

    AllergyBuilder verificationStatus(String status) {
      this.verificationStatus = status;
      return this;
    }

    AllergyRecord build() {
      return new AllergyRecord(nextId("AllergyIntolerance/a"), substance, clinicalStatus, verificationStatus);
    }
  }

  /** A final observation taken at noon (UTC) on T, unless told. */
  static final class ObservationBuilder {
    private String id = nextId("Observation/o");
    private final Concept code;
    private String status = "final";
    private LocalDateTime when = T.atTime(12, 0);
    private ObservationValue value;
    private final List<Component> components = new ArrayList<>();
    private Quantity referenceHigh;

    ObservationBuilder(Concept code) {
      this.code = code;
    }

    ObservationBuilder id(String reference) {
      this.id = reference;
      return this;
    }

    ObservationBuilder on(LocalDate date) {
      this.when = date.atTime(12, 0);
      return this;
    }

    ObservationBuilder at(LocalDateTime when) {
      this.when = when;
      return this;
    }

    ObservationBuilder status(String status) {
      this.status = status;
      return this;
    }

    ObservationBuilder value(Quantity quantity) {
      this.value = new QuantityValue(quantity);
      return this;
    }

    ObservationBuilder coded(Concept concept) {
      this.value = new CodedValue(concept);
      return this;
    }

    ObservationBuilder noValue() {
      this.value = null;
      this.components.clear();
      return this;
    }

    ObservationBuilder component(Concept code, Quantity quantity) {
      components.add(new Component(code, new QuantityValue(quantity)));
      return this;
    }

    ObservationBuilder referenceHigh(String value) {
      this.referenceHigh = new Quantity(new BigDecimal(value), null, null, null);
      return this;
    }

    ObservationRecord build() {
      Effective effective = new Effective(when.toLocalDate(), when.toInstant(ZoneOffset.UTC));
      return new ObservationRecord(id, status, code, effective, value, components, referenceHigh);
    }
  }
}
