package org.ketamineadvisor.advisor.fhir.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ketamineadvisor.advisor.assessment.AllergyRecord;
import org.ketamineadvisor.advisor.assessment.ConditionRecord;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.ClinicalStatus;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.VerificationStatus;
import org.ketamineadvisor.advisor.assessment.MedicationRecord;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.CodedValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.Component;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.Effective;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.ObservationValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.OtherValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.QuantityValue;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.PatientFacts.AdministrativeSex;
import org.ketamineadvisor.advisor.assessment.PatientRecord;
import org.ketamineadvisor.advisor.terminology.Concept;
import org.ketamineadvisor.advisor.terminology.Quantity;

/**
 * Maps one patient's FHIR R4 resources to the PatientRecord the rules read (CLINICAL-RULES § 1,
 * § 7.3): dates as written in the resource's own offset, statuses as written, medications resolved.
 * It never decides what counts (that is the rules' job) and never throws on bad data: whatever it
 * cannot take as written becomes a problem line. Stateless and thread-safe.
 */
public final class FhirRecordMapper {

  private static final Set<String> REQUEST_STATUSES = Set.of("active", "on-hold", "cancelled",
      "completed", "entered-in-error", "stopped", "draft", "unknown");
  private static final Set<String> STATEMENT_STATUSES = Set.of("active", "completed",
      "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken");
  private static final Set<String> OBSERVATION_STATUSES = Set.of("registered", "preliminary",
      "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown");

  /** Maps the resources; resources of other patients are dropped and reported, never mixed in. */
  public MappedRecord map(PatientResources input) {
    Objects.requireNonNull(input, "patient resources to map");
    return new Mapping(input).run();
  }

  private static ClinicalStatus clinicalStatusOf(String code) {
    return switch (code) {
      case "active" -> ClinicalStatus.ACTIVE;
      case "recurrence" -> ClinicalStatus.RECURRENCE;
      case "relapse" -> ClinicalStatus.RELAPSE;
      case "inactive" -> ClinicalStatus.INACTIVE;
      case "remission" -> ClinicalStatus.REMISSION;
      case "resolved" -> ClinicalStatus.RESOLVED;
      default -> null;
    };
  }

  private static VerificationStatus verificationStatusOf(String code) {
    return switch (code) {
      case "confirmed" -> VerificationStatus.CONFIRMED;
      case "unconfirmed" -> VerificationStatus.UNCONFIRMED;
      case "provisional" -> VerificationStatus.PROVISIONAL;
      case "differential" -> VerificationStatus.DIFFERENTIAL;
      case "refuted" -> VerificationStatus.REFUTED;
      case "entered-in-error" -> VerificationStatus.ENTERED_IN_ERROR;
      default -> null;
    };
  }

  /** One mapping run: the per-patient indexes and the problems found so far. */
  private static final class Mapping {
    private final PatientResources input;
    private final MappingProblems problems = new MappingProblems();
    private final PatientIdentity identity;
    private final MedicationResolver medicationResolver;
    private final List<ConditionRecord> conditions = new ArrayList<>();
    private final List<MedicationRecord> medications = new ArrayList<>();
    private final List<ObservationRecord> observations = new ArrayList<>();
    private final List<AllergyRecord> allergies = new ArrayList<>();

    Mapping(PatientResources input) {
      this.input = input;
      this.identity = new PatientIdentity(input.patientId(), input.patient(), input.resources(),
          input.fullUrls());
      this.medicationResolver = new MedicationResolver(input.resources(), input.fullUrls());
    }

    MappedRecord run() {
      PatientFacts patient = patient();
      List<Resource> resources = input.resources();
      for (int i = 0; i < resources.size(); i++) {
        Resource resource = resources.get(i);
        if (!isClinical(resource)) {
          continue; // Patient, Medication (used for resolution), Encounter, …: not read by the rules
        }
        String key = resource.fhirType() + "/entry-" + (i + 1);
        try {
          String ownKey = ResourceKeys.keyOf(resource, input.fullUrls().get(i));
          if (ownKey == null) {
            problems.add(key, "has neither an id nor a full URL; named by its position in the record");
          } else {
            key = ownKey;
          }
          mapClinical(resource, key);
        } catch (RuntimeException e) {
          problems.add(key, "could not be read (" + shortMessage(e) + "); ignored");
        }
      }
      PatientRecord record = new PatientRecord(patient, conditions, medications, observations,
          allergies, List.of());
      return new MappedRecord(record, problems.toList());
    }

    private static boolean isClinical(Resource r) {
      return r instanceof Condition || r instanceof MedicationRequest || r instanceof MedicationStatement
          || r instanceof Observation || r instanceof AllergyIntolerance;
    }

    /** The subject reference of a clinical resource; null for any other resource type. */
    private static Reference subjectOf(Resource r) {
      if (r instanceof Condition c) {
        return c.getSubject();
      } else if (r instanceof MedicationRequest mr) {
        return mr.getSubject();
      } else if (r instanceof MedicationStatement ms) {
        return ms.getSubject();
      } else if (r instanceof Observation o) {
        return o.getSubject();
      } else if (r instanceof AllergyIntolerance a) {
        return a.getPatient();
      }
      return null;
    }

    private void mapClinical(Resource resource, String key) {
      Reference subject = subjectOf(resource);
      if (identity.match(subject) == PatientIdentity.Match.OTHER_SUBJECT) {
        problems.add(key, "its subject is " + describe(subject) + ", not this patient; dropped");
        return;
      }
      if (resource instanceof Condition c) {
        conditions.add(condition(c, key));
      } else if (resource instanceof MedicationRequest mr) {
        medications.add(request(mr, key));
      } else if (resource instanceof MedicationStatement ms) {
        medications.add(statement(ms, key));
      } else if (resource instanceof Observation o) {
        observations.add(observation(o, key));
      } else if (resource instanceof AllergyIntolerance a) {
        allergies.add(allergy(a, key));
      }
    }

    // ---- Patient

    private PatientFacts patient() {
      String id = ResourceKeys.idPart(input.patientId());
      if (id == null) {
        id = input.patientId().trim();
      }
      String key = "Patient/" + id;
      Patient p = input.patient();
      if (p == null) {
        problems.add(key, "no Patient resource in the record; age, sex and deceased status are unknown");
        return new PatientFacts(id, null, AdministrativeSex.UNKNOWN, false, null);
      }
      try {
        String ownId = ResourceKeys.idPart(p.getIdElement().getValue());
        if (ownId != null && !ownId.equals(id)) {
          problems.add(key, "the Patient resource has id '" + ownId + "', not the id it was read under; "
              + "the record is named " + key);
        }
        LocalDate birthDate = birthDate(p, key);
        AdministrativeSex sex = sex(p, key);
        boolean deceased = false;
        LocalDate deceasedDate = null;
        if (p.getDeceased() instanceof BooleanType b) {
          deceased = Boolean.TRUE.equals(b.getValue());
        } else if (p.getDeceased() instanceof DateTimeType dt && !dt.isEmpty()) {
          deceased = true;
          deceasedDate = date(dt, key, "deceasedDateTime");
        }
        return new PatientFacts(id, birthDate, sex, deceased, deceasedDate);
      } catch (RuntimeException e) {
        problems.add(key, "the Patient resource could not be read (" + shortMessage(e) + "); "
            + "age, sex and deceased status are unknown");
        return new PatientFacts(id, null, AdministrativeSex.UNKNOWN, false, null);
      }
    }

    /** The birth date; never echoed in problems, as it identifies the patient. */
    private LocalDate birthDate(Patient p, String key) {
      try {
        WrittenTime t = WrittenTime.of(p.getBirthDateElement());
        if (t == null) {
          return null;
        }
        if (t.partial()) {
          boolean yearOnly = p.getBirthDateElement().getValueAsString().trim().length() == 4;
          problems.add(key, yearOnly ? "birth date has only a year; read as the first day of that year"
              : "birth date has no day; read as the first day of that month");
        }
        return t.date();
      } catch (DateTimeException e) {
        problems.add(key, "birth date is not a valid date; age is unknown");
        return null;
      }
    }

    private AdministrativeSex sex(Patient p, String key) {
      String gender = p.getGenderElement().getValueAsString();
      if (gender == null || gender.isBlank()) {
        return AdministrativeSex.UNKNOWN;
      }
      return switch (gender.trim()) {
        case "male" -> AdministrativeSex.MALE;
        case "female" -> AdministrativeSex.FEMALE;
        case "other" -> AdministrativeSex.OTHER;
        case "unknown" -> AdministrativeSex.UNKNOWN;
        default -> {
          problems.add(key, "gender '" + gender + "' is not a FHIR code (male, female, other, unknown); "
              + "read as unknown");
          yield AdministrativeSex.UNKNOWN;
        }
      };
    }

    // ---- Condition

    private ConditionRecord condition(Condition c, String key) {
      Concept code = code(c.getCode(), key);
      LocalDate onset = null;
      if (c.getOnset() instanceof DateTimeType dt) {
        onset = date(dt, key, "onset");
      } else if (c.getOnset() instanceof Period p && p.hasStart()) {
        onset = date(p.getStartElement(), key, "onset period start");
      }
      LocalDate recorded = date(c.getRecordedDateElement(), key, "recordedDate");
      LocalDate abatementDate = null;
      Type abatement = c.getAbatement();
      if (abatement instanceof DateTimeType dt) {
        abatementDate = date(dt, key, "abatement");
      } else if (abatement instanceof Period p) {
        abatementDate = p.hasEnd() ? date(p.getEndElement(), key, "abatement period end")
            : date(p.getStartElement(), key, "abatement period start");
      }
      return new ConditionRecord(key, code, clinicalStatus(c, key), verificationStatus(c, key),
          onset, recorded, c.hasAbatement(), abatementDate);
    }

    private ClinicalStatus clinicalStatus(Condition c, String key) {
      if (!c.hasClinicalStatus()) {
        return null;
      }
      return knownCode(c.getClinicalStatus(), FhirRecordMapper::clinicalStatusOf, null, key, "clinicalStatus");
    }

    private VerificationStatus verificationStatus(Condition c, String key) {
      if (!c.hasVerificationStatus()) {
        return VerificationStatus.ABSENT;
      }
      return knownCode(c.getVerificationStatus(), FhirRecordMapper::verificationStatusOf,
          VerificationStatus.ABSENT, key, "verificationStatus");
    }

    /**
     * The first coding whose code is known; a status may carry a local coding beside the HL7 one,
     * so an unknown first coding is not yet a problem.
     */
    private <E> E knownCode(CodeableConcept cc, Function<String, E> decode, E absent, String key, String what) {
      String first = null;
      for (Coding coding : cc.getCoding()) {
        String code = FhirConcepts.blankToNull(coding.getCode());
        if (code != null) {
          E value = decode.apply(code.trim());
          if (value != null) {
            return value;
          }
          first = first == null ? code : first;
        }
      }
      problems.add(key, what + " " + (first == null ? "has no code" : "'" + first + "' is not a known code")
          + "; read as absent");
      return absent;
    }

    // ---- MedicationRequest / MedicationStatement

    private MedicationRecord request(MedicationRequest mr, String key) {
      String status = status(mr.getStatusElement().getValueAsString(), REQUEST_STATUSES, key);
      Concept medication = medication(mr, mr.getMedication(), key);
      LocalDate start = date(mr.getAuthoredOnElement(), key, "authoredOn");
      LocalDate end = null;
      if (mr.hasDispenseRequest() && mr.getDispenseRequest().hasValidityPeriod()) {
        end = date(mr.getDispenseRequest().getValidityPeriod().getEndElement(), key,
            "dispenseRequest.validityPeriod end");
      }
      return new MedicationRecord(key, MedicationRecord.Kind.REQUEST, status, medication, start, end);
    }

    private MedicationRecord statement(MedicationStatement ms, String key) {
      String status = status(ms.getStatusElement().getValueAsString(), STATEMENT_STATUSES, key);
      Concept medication = medication(ms, ms.getMedication(), key);
      LocalDate start = null;
      LocalDate end = null;
      if (ms.getEffective() instanceof DateTimeType dt) {
        start = date(dt, key, "effective");
      } else if (ms.getEffective() instanceof Period p) {
        start = p.hasStart() ? date(p.getStartElement(), key, "effective period start") : null;
        end = p.hasEnd() ? date(p.getEndElement(), key, "effective period end") : null;
      }
      return new MedicationRecord(key, MedicationRecord.Kind.STATEMENT, status, medication, start, end);
    }

    private Concept medication(DomainResource owner, Type medication, String key) {
      if (medication instanceof CodeableConcept cc && !cc.isEmpty()) {
        return FhirConcepts.concept(cc);
      }
      if (medication instanceof Reference ref && !ref.isEmpty()) {
        Medication m = medicationResolver.resolve(owner, ref);
        String display = FhirConcepts.blankToNull(ref.getDisplay());
        if (m == null) {
          problems.add(key, "medication reference '" + ref.getReference() + "' is not in the record; "
              + (display == null ? "the medication is unknown" : "read by its display '" + display + "'"));
          return new Concept(List.of(), display);
        }
        Concept concept = FhirConcepts.concept(m.getCode());
        for (Medication.MedicationIngredientComponent ingredient : m.getIngredient()) {
          if (ingredient.getItem() instanceof CodeableConcept item) {
            concept = FhirConcepts.merge(concept, FhirConcepts.concept(item));
          }
        }
        concept = FhirConcepts.merge(concept, new Concept(List.of(), display));
        if (concept.codings().isEmpty() && concept.text() == null) {
          problems.add(key, "the referenced Medication has no code, ingredient or name; the medication is unknown");
        }
        return concept;
      }
      problems.add(key, "has no medication; it cannot match any drug class");
      return Concept.EMPTY;
    }

    // ---- Observation

    private ObservationRecord observation(Observation o, String key) {
      String status = status(o.getStatusElement().getValueAsString(), OBSERVATION_STATUSES, key);
      Concept code = code(o.getCode(), key);
      ObservationValue value = value(o.getValue(), o.hasDataAbsentReason(), key, "value");
      List<Component> components = new ArrayList<>(o.getComponent().size());
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        Concept componentCode = FhirConcepts.concept(c.getCode());
        String what = "component " + componentCode.label() + " value";
        components.add(new Component(componentCode, value(c.getValue(), c.hasDataAbsentReason(), key, what)));
      }
      Quantity high = null;
      if (o.hasReferenceRange() && o.getReferenceRangeFirstRep().hasHigh()) {
        high = FhirConcepts.quantity(o.getReferenceRangeFirstRep().getHigh());
      }
      return new ObservationRecord(key, status, code, effective(o, key), value, components, high);
    }

    private Effective effective(Observation o, String key) {
      Type effective = o.getEffective();
      WrittenTime time = null;
      if (effective instanceof BaseDateTimeType dt && !dt.isEmpty()) {
        time = time(dt, key, "effective date");
      } else if (effective instanceof Period p && !p.isEmpty()) {
        time = p.hasEnd() ? time(p.getEndElement(), key, "effective period end") : null;
        if (time == null && p.hasStart()) {
          time = time(p.getStartElement(), key, "effective period start");
        }
      } else if (effective != null && !effective.isEmpty()) {
        problems.add(key, "effective time is a " + effective.fhirType() + ", which has no single time; "
            + "the observation has no usable date");
        return null;
      } else {
        problems.add(key, "has no effective time; it cannot be placed in any window");
        return null;
      }
      return time == null ? null : new Effective(time.date(), time.instant(), time.timed());
    }

    private ObservationValue value(Type value, boolean dataAbsent, String key, String what) {
      if (dataAbsent || value == null || value.isEmpty()) {
        return null;
      }
      if (value instanceof org.hl7.fhir.r4.model.Quantity q) {
        Quantity quantity = FhirConcepts.quantity(q);
        if (quantity == null) {
          problems.add(key, what + " is a quantity without a number; read as no value");
          return null;
        }
        if (q.hasComparator()) {
          // The app's Quantity has no comparator; say so rather than pretend the bound is exact.
          problems.add(key, what + " is '" + q.getComparatorElement().getValueAsString() + quantity
              + "'; read as " + quantity);
        }
        return new QuantityValue(quantity);
      }
      if (value instanceof CodeableConcept cc) {
        return new CodedValue(FhirConcepts.concept(cc));
      }
      return new OtherValue(value.fhirType());
    }

    // ---- AllergyIntolerance

    private AllergyRecord allergy(AllergyIntolerance a, String key) {
      Concept substance = FhirConcepts.concept(a.getCode());
      if (substance.codings().isEmpty() && substance.text() == null) {
        // Some systems name the substance only in the reaction; it is still the allergen.
        for (AllergyIntolerance.AllergyIntoleranceReactionComponent r : a.getReaction()) {
          substance = FhirConcepts.merge(substance, FhirConcepts.concept(r.getSubstance()));
        }
        if (substance.codings().isEmpty() && substance.text() == null) {
          problems.add(key, "names no substance; it cannot match any allergy rule");
        }
      }
      return new AllergyRecord(key, substance, FhirConcepts.firstCode(a.getClinicalStatus()),
          FhirConcepts.firstCode(a.getVerificationStatus()));
    }

    // ---- shared pieces

    private Concept code(CodeableConcept cc, String key) {
      Concept concept = FhirConcepts.concept(cc);
      if (concept.codings().isEmpty() && concept.text() == null) {
        problems.add(key, "has no code; it cannot match any rule");
      }
      return concept;
    }

    private String status(String raw, Set<String> known, String key) {
      if (raw == null || raw.isBlank()) {
        problems.add(key, "has no status");
        return null;
      }
      String status = raw.trim();
      if (!known.contains(status)) {
        problems.add(key, "status '" + status + "' is not a FHIR R4 code for this resource; kept as written");
      }
      return status;
    }

    private LocalDate date(BaseDateTimeType element, String key, String what) {
      WrittenTime t = time(element, key, what);
      return t == null ? null : t.date();
    }

    private WrittenTime time(BaseDateTimeType element, String key, String what) {
      try {
        WrittenTime t = WrittenTime.of(element);
        if (t != null && t.partial()) {
          problems.add(key, what + " '" + element.getValueAsString() + "' is not a full date; read as " + t.date());
        }
        return t;
      } catch (DateTimeException e) {
        problems.add(key, what + " '" + element.getValueAsString() + "' is not a date; ignored");
        return null;
      }
    }

    private static String describe(Reference subject) {
      if (subject.getResource() instanceof Resource r) {
        return r.fhirType() + "/" + ResourceKeys.idPart(r.getIdElement().getValue());
      }
      String ref = subject.getReference().trim();
      String type = ResourceKeys.typeOf(ref);
      return type == null ? ref : type + "/" + ResourceKeys.idPart(ref);
    }

    private static String shortMessage(RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
  }
}
