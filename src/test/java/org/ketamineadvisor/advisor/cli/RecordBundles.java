package org.ketamineadvisor.advisor.cli;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Builds one patient's collection Bundle for command-line tests: {@code aRecord("p1").withCrps()…}. */
final class RecordBundles {

  static final String SNOMED = "http://snomed.info/sct";
  static final String LOINC = "http://loinc.org";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final String UCUM = "http://unitsofmeasure.org";

  private final Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
  private final String patientId;
  private int next = 1;

  private RecordBundles(String patientId, LocalDate birthDate) {
    this.patientId = patientId;
    Patient patient = new Patient();
    patient.setId(patientId);
    patient.setGender(AdministrativeGender.MALE);
    if (birthDate != null) {
      patient.setBirthDateElement(new DateType(birthDate.toString()));
    }
    add(patient);
  }

  static RecordBundles aRecord(String patientId) {
    return new RecordBundles(patientId, LocalDate.of(1970, 3, 1));
  }

  static RecordBundles aRecordBornOn(String patientId, LocalDate birthDate) {
    return new RecordBundles(patientId, birthDate);
  }

  static RecordBundles aRecordWithoutBirthDate(String patientId) {
    return new RecordBundles(patientId, null);
  }

  RecordBundles condition(String system, String code, String onset) {
    Condition c = new Condition();
    c.setId(nextId("c"));
    c.setSubject(subject());
    c.setCode(new CodeableConcept(new Coding(system, code, null)));
    c.setClinicalStatus(new CodeableConcept(
        new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
    c.setOnset(new DateTimeType(onset));
    return add(c);
  }

  RecordBundles crps(String onset) {
    return condition(SNOMED, "128200000", onset);
  }

  RecordBundles bloodPressure(int systolic, int diastolic, String when) {
    Observation o = observation(LOINC, "85354-9", when);
    o.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8480-6", null)))
        .setValue(mmHg(systolic));
    o.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8462-4", null)))
        .setValue(mmHg(diastolic));
    return add(o);
  }

  RecordBundles weight(String value, String ucumUnit, String when) {
    Observation o = observation(LOINC, "29463-7", when);
    o.setValue(new Quantity().setValue(new BigDecimal(value)).setUnit(ucumUnit).setSystem(UCUM).setCode(ucumUnit));
    return add(o);
  }

  RecordBundles painScore(int score, String when) {
    Observation o = observation(LOINC, "72514-3", when);
    o.setValue(new Quantity().setValue(score).setUnit("{score}").setSystem(UCUM).setCode("{score}"));
    return add(o);
  }

  RecordBundles pastMedication(String rxnorm, String name, String period) {
    MedicationStatement s = new MedicationStatement();
    s.setId(nextId("ms"));
    s.setStatus(MedicationStatement.MedicationStatementStatus.COMPLETED);
    s.setSubject(subject());
    s.setMedication(new CodeableConcept(new Coding(RXNORM, rxnorm, name)));
    s.setEffective(new DateTimeType(period));
    return add(s);
  }

  RecordBundles currentMedication(String rxnorm, String name, String authoredOn) {
    MedicationRequest r = new MedicationRequest();
    r.setId(nextId("mr"));
    r.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    r.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    r.setSubject(subject());
    r.setMedication(new CodeableConcept(new Coding(RXNORM, rxnorm, name)));
    r.setAuthoredOn(Date.from(LocalDate.parse(authoredOn).atStartOfDay().toInstant(ZoneOffset.UTC)));
    return add(r);
  }

  /** CRPS, gabapentin tried, BP 128/82, 80 kg, pain 7 and a current opioid: suitable with precautions. */
  RecordBundles typicalCrpsOnOxycodone() {
    return crps("2025-01-10")
        .pastMedication("25480", "gabapentin", "2025-03-01")
        .bloodPressure(128, 82, "2026-05-20")
        .weight("80", "kg", "2026-05-20")
        .painScore(7, "2026-05-20")
        .currentMedication("7804", "oxycodone", "2026-04-01");
  }

  String json() {
    return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
  }

  Path writeTo(Path file) throws java.io.IOException {
    return Files.writeString(file, json());
  }

  private Observation observation(String system, String code, String when) {
    Observation o = new Observation();
    o.setId(nextId("o"));
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setSubject(subject());
    o.setCode(new CodeableConcept(new Coding(system, code, null)));
    o.setEffective(new DateTimeType(when));
    return o;
  }

  private static Quantity mmHg(int value) {
    return new Quantity().setValue(value).setUnit("mmHg").setSystem(UCUM).setCode("mm[Hg]");
  }

  private Reference subject() {
    return new Reference("Patient/" + patientId);
  }

  private String nextId(String prefix) {
    return patientId + "-" + prefix + next++;
  }

  private RecordBundles add(Resource resource) {
    bundle.addEntry().setFullUrl("https://ehr.example.org/fhir/" + resource.getResourceType().name() + "/" + resource.getIdElement().getIdPart())
        .setResource(resource);
    return this;
  }
}
