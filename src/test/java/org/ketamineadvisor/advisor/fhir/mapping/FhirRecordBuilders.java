package org.ketamineadvisor.advisor.fhir.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Test data builders: HAPI model objects for one patient, built in code. */
final class FhirRecordBuilders {

  static final String SNOMED = "http://snomed.info/sct";
  static final String LOINC = "http://loinc.org";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final String UCUM = "http://unitsofmeasure.org";

  private FhirRecordBuilders() {}

  /** A patient's resources, as a reader would hand them over. */
  static RecordBuilder aRecordFor(String patientId) {
    return new RecordBuilder(patientId);
  }

  static final class RecordBuilder {
    private final String patientId;
    private Patient patient;
    private final List<Resource> resources = new ArrayList<>();
    private final List<String> fullUrls = new ArrayList<>();

    private RecordBuilder(String patientId) {
      this.patientId = patientId;
      this.patient = new Patient();
      patient.setId(patientId);
    }

    RecordBuilder patient(Patient p) {
      this.patient = p;
      return this;
    }

    RecordBuilder withoutPatient() {
      this.patient = null;
      return this;
    }

    RecordBuilder with(Resource... rs) {
      for (Resource r : rs) {
        with(r, null);
      }
      return this;
    }

    RecordBuilder with(Resource r, String fullUrl) {
      resources.add(r);
      fullUrls.add(fullUrl);
      return this;
    }

    PatientResources build() {
      return new PatientResources(patientId, patient, resources, fullUrls, "test");
    }
  }

  static Patient patient(String id) {
    Patient p = new Patient();
    p.setId(id);
    p.setGender(AdministrativeGender.FEMALE);
    return p;
  }

  static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept(new Coding(system, code, display));
  }

  static Reference subject(String patientId) {
    return new Reference("Patient/" + patientId);
  }

  static Condition condition(String id, String patientId) {
    Condition c = new Condition();
    c.setId(id);
    c.setSubject(subject(patientId));
    c.setCode(concept(SNOMED, "128200000", "Complex regional pain syndrome"));
    return c;
  }

  static CodeableConcept clinicalStatus(String code) {
    return concept("http://terminology.hl7.org/CodeSystem/condition-clinical", code, null);
  }

  static CodeableConcept verificationStatus(String code) {
    return concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", code, null);
  }

  static MedicationRequest request(String id, String patientId) {
    MedicationRequest mr = new MedicationRequest();
    mr.setId(id);
    mr.setSubject(subject(patientId));
    mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    return mr;
  }

  static MedicationStatement statement(String id, String patientId) {
    MedicationStatement ms = new MedicationStatement();
    ms.setId(id);
    ms.setSubject(subject(patientId));
    ms.setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE);
    ms.setMedication(concept(RXNORM, "1116632", "duloxetine 60 MG"));
    return ms;
  }

  static Medication medication(String id, String rxnorm, String display) {
    Medication m = new Medication();
    if (id != null) {
      m.setId(id);
    }
    m.setCode(concept(RXNORM, rxnorm, display));
    return m;
  }

  static Observation observation(String id, String patientId, String loinc, String effective) {
    Observation o = new Observation();
    o.setId(id);
    o.setSubject(subject(patientId));
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(concept(LOINC, loinc, null));
    if (effective != null) {
      o.setEffective(new DateTimeType(effective));
    }
    return o;
  }

  static Quantity mmHg(double value) {
    return new Quantity().setValue(BigDecimal.valueOf(value)).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]");
  }

  static Observation.ObservationComponentComponent component(String loinc, Quantity value) {
    return new Observation.ObservationComponentComponent(concept(LOINC, loinc, null)).setValue(value);
  }

  static AllergyIntolerance allergy(String id, String patientId) {
    AllergyIntolerance a = new AllergyIntolerance();
    a.setId(id);
    a.setPatient(subject(patientId));
    return a;
  }
}
