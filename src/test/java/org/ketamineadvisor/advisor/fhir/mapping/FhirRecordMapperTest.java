package org.ketamineadvisor.advisor.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.fhir.mapping.FhirRecordBuilders.*;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.AllergyRecord;
import org.ketamineadvisor.advisor.assessment.ConditionRecord;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.ClinicalStatus;
import org.ketamineadvisor.advisor.assessment.ConditionRecord.VerificationStatus;
import org.ketamineadvisor.advisor.assessment.MedicationRecord;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.CodedValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.OtherValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord.QuantityValue;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.PatientFacts.AdministrativeSex;
import org.ketamineadvisor.advisor.terminology.Code;

class FhirRecordMapperTest {

  private final FhirRecordMapper mapper = new FhirRecordMapper();

  private MappedRecord map(FhirRecordBuilders.RecordBuilder builder) {
    return mapper.map(builder.build());
  }

  @Nested
  class PatientFactsMapping {

    @Test
    void readsIdSexBirthDateAndDeceasedDateAsWritten() {
      Patient p = patient("p1");
      p.setBirthDateElement(new DateType("1970-03-04"));
      p.setDeceased(new DateTimeType("2026-05-20T23:30:00-05:00"));

      MappedRecord mapped = map(aRecordFor("p1").patient(p));

      PatientFacts facts = mapped.record().patient();
      assertThat(facts.id()).isEqualTo("p1");
      assertThat(facts.sex()).isEqualTo(AdministrativeSex.FEMALE);
      assertThat(facts.birthDate()).isEqualTo(LocalDate.of(1970, 3, 4));
      assertThat(facts.deceasedFlag()).isTrue();
      assertThat(facts.deceasedDate()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void deceasedBooleanSetsOnlyTheFlag() {
      Patient p = patient("p1");
      p.setDeceased(new BooleanType(true));

      PatientFacts facts = map(aRecordFor("p1").patient(p)).record().patient();

      assertThat(facts.deceasedFlag()).isTrue();
      assertThat(facts.deceasedDate()).isNull();
    }

    @Test
    void partialBirthDatesReadAsFirstDayAndAreReportedWithoutTheDate() {
      Patient yearOnly = patient("p1");
      yearOnly.setBirthDateElement(new DateType("1980"));
      Patient yearMonth = patient("p2");
      yearMonth.setBirthDateElement(new DateType("1980-05"));

      MappedRecord first = map(aRecordFor("p1").patient(yearOnly));
      MappedRecord second = map(aRecordFor("p2").patient(yearMonth));

      assertThat(first.record().patient().birthDate()).isEqualTo(LocalDate.of(1980, 1, 1));
      assertThat(first.problems()).containsExactly(
          "Patient/p1: birth date has only a year; read as the first day of that year");
      assertThat(second.record().patient().birthDate()).isEqualTo(LocalDate.of(1980, 5, 1));
      assertThat(second.problems()).singleElement().asString().contains("first day of that month")
          .doesNotContain("1980");
    }

    @Test
    void missingPatientGivesFactsWithOnlyTheIdAndAProblem() {
      MappedRecord mapped = map(aRecordFor("p1").withoutPatient()
          .with(condition("c1", "p1")));

      PatientFacts facts = mapped.record().patient();
      assertThat(facts.id()).isEqualTo("p1");
      assertThat(facts.birthDate()).isNull();
      assertThat(facts.sex()).isEqualTo(AdministrativeSex.UNKNOWN);
      assertThat(facts.deceasedFlag()).isFalse();
      assertThat(mapped.record().conditions()).hasSize(1);
      assertThat(mapped.problems()).singleElement().asString()
          .startsWith("Patient/p1: no Patient resource");
    }

    @Test
    void qualifiedPatientIdIsReducedToItsIdPart() {
      Patient p = patient("p1");
      PatientResources input = new PatientResources("https://ehr.example/fhir/Patient/p1/_history/3", p,
          java.util.List.of(condition("c1", "p1")), null, "test");

      MappedRecord mapped = mapper.map(input);

      assertThat(mapped.record().patient().id()).isEqualTo("p1");
      assertThat(mapped.record().conditions()).hasSize(1);
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void genderCodesMapAndAbsentGenderIsUnknown() {
      Patient male = patient("p1").setGender(AdministrativeGender.MALE);
      Patient none = patient("p2").setGender(null);

      assertThat(map(aRecordFor("p1").patient(male)).record().patient().sex()).isEqualTo(AdministrativeSex.MALE);
      assertThat(map(aRecordFor("p2").patient(none)).record().patient().sex()).isEqualTo(AdministrativeSex.UNKNOWN);
    }

    @Test
    void invalidBirthDateFromALenientParseIsReportedAndUnknown() {
      Patient p = parse(Patient.class, """
          {"resourceType":"Patient","id":"p1","birthDate":"1980-02-31","gender":"woman"}""");

      MappedRecord mapped = map(aRecordFor("p1").patient(p));

      assertThat(mapped.record().patient().birthDate()).isNull();
      assertThat(mapped.record().patient().sex()).isEqualTo(AdministrativeSex.UNKNOWN);
      assertThat(mapped.problems()).containsExactly(
          "Patient/p1: birth date is not a valid date; age is unknown",
          "Patient/p1: gender 'woman' is not a FHIR code (male, female, other, unknown); read as unknown");
    }
  }

  @Nested
  class Conditions {

    @Test
    void keepsAllCodingsTextStatusesAndDatesAsWrittenInTheirOffset() {
      var c = condition("c1", "p1");
      c.getCode().addCoding(new org.hl7.fhir.r4.model.Coding("http://hl7.org/fhir/sid/icd-10-cm", "G90.5", null))
          .setText("CRPS type I");
      c.setClinicalStatus(clinicalStatus("active"));
      c.setVerificationStatus(verificationStatus("provisional"));
      c.setOnset(new DateTimeType("2026-05-20T23:30:00-05:00"));
      c.setRecordedDateElement(new DateTimeType("2026-05-21T08:00:00+09:00"));

      ConditionRecord r = map(aRecordFor("p1").with(c)).record().conditions().get(0);

      assertThat(r.reference()).isEqualTo("Condition/c1");
      assertThat(r.code().codings()).containsExactly(
          new Code(SNOMED, "128200000", "Complex regional pain syndrome"),
          new Code("http://hl7.org/fhir/sid/icd-10-cm", "G90.5", null));
      assertThat(r.code().text()).isEqualTo("CRPS type I");
      assertThat(r.clinicalStatus()).isEqualTo(ClinicalStatus.ACTIVE);
      assertThat(r.verificationStatus()).isEqualTo(VerificationStatus.PROVISIONAL);
      assertThat(r.onset()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(r.recordedDate()).isEqualTo(LocalDate.of(2026, 5, 21));
      assertThat(r.abated()).isFalse();
      assertThat(r.abatementDate()).isNull();
    }

    @Test
    void onsetPeriodStartIsTheOnsetAndOnsetAgeIsNoDate() {
      var period = condition("c1", "p1").setOnset(new Period().setStartElement(new DateTimeType("2019-04-02")));
      var age = condition("c2", "p1").setOnset(new Age().setValue(40));

      var conditions = map(aRecordFor("p1").with(period, age)).record().conditions();

      assertThat(conditions.get(0).onset()).isEqualTo(LocalDate.of(2019, 4, 2));
      assertThat(conditions.get(1).onset()).isNull();
    }

    @Test
    void anyAbatementMeansAbatedAndItsDateComesFromDateTimeOrPeriod() {
      var dateTime = condition("c1", "p1").setAbatement(new DateTimeType("2024-01-10T01:00:00+14:00"));
      var periodEnd = condition("c2", "p1").setAbatement(new Period()
          .setStartElement(new DateTimeType("2023-01-01")).setEndElement(new DateTimeType("2023-06-30")));
      var periodStart = condition("c3", "p1").setAbatement(new Period().setStartElement(new DateTimeType("2023-02-01")));
      var text = condition("c4", "p1").setAbatement(new StringType("in childhood"));

      var conditions = map(aRecordFor("p1").with(dateTime, periodEnd, periodStart, text)).record().conditions();

      assertThat(conditions).allMatch(ConditionRecord::abated);
      assertThat(conditions).extracting(ConditionRecord::abatementDate).containsExactly(
          LocalDate.of(2024, 1, 10), LocalDate.of(2023, 6, 30), LocalDate.of(2023, 2, 1), null);
    }

    @Test
    void unknownStatusCodesAreReportedAndReadAsAbsent() {
      var c = condition("c1", "p1");
      c.setClinicalStatus(clinicalStatus("smouldering"));
      c.setVerificationStatus(verificationStatus("probable"));

      MappedRecord mapped = map(aRecordFor("p1").with(c));

      ConditionRecord r = mapped.record().conditions().get(0);
      assertThat(r.clinicalStatus()).isNull();
      assertThat(r.verificationStatus()).isEqualTo(VerificationStatus.ABSENT);
      assertThat(mapped.problems()).containsExactly(
          "Condition/c1: clinicalStatus 'smouldering' is not a known code; read as absent",
          "Condition/c1: verificationStatus 'probable' is not a known code; read as absent");
    }

    @Test
    void aKnownCodingBesideALocalOneIsUsed() {
      var c = condition("c1", "p1");
      c.setClinicalStatus(new CodeableConcept()
          .addCoding(new org.hl7.fhir.r4.model.Coding("urn:oid:1.2.3", "A", "Active (local)"))
          .addCoding(clinicalStatus("recurrence").getCodingFirstRep()));

      MappedRecord mapped = map(aRecordFor("p1").with(c));

      assertThat(mapped.record().conditions().get(0).clinicalStatus()).isEqualTo(ClinicalStatus.RECURRENCE);
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void absentStatusesAreNullAndAbsentWithoutProblems() {
      MappedRecord mapped = map(aRecordFor("p1").with(condition("c1", "p1")));

      ConditionRecord r = mapped.record().conditions().get(0);
      assertThat(r.clinicalStatus()).isNull();
      assertThat(r.verificationStatus()).isEqualTo(VerificationStatus.ABSENT);
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void enteredInErrorAndRefutedAreKeptForTheRulesToIgnore() {
      var error = condition("c1", "p1").setVerificationStatus(verificationStatus("entered-in-error"));
      var refuted = condition("c2", "p1").setVerificationStatus(verificationStatus("refuted"));

      var conditions = map(aRecordFor("p1").with(error, refuted)).record().conditions();

      assertThat(conditions).extracting(ConditionRecord::verificationStatus)
          .containsExactly(VerificationStatus.ENTERED_IN_ERROR, VerificationStatus.REFUTED);
    }

    @Test
    void partialOnsetIsTheFirstDayAndReported() {
      var c = condition("c1", "p1").setOnset(new DateTimeType("2019-07"));

      MappedRecord mapped = map(aRecordFor("p1").with(c));

      assertThat(mapped.record().conditions().get(0).onset()).isEqualTo(LocalDate.of(2019, 7, 1));
      assertThat(mapped.problems()).containsExactly(
          "Condition/c1: onset '2019-07' is not a full date; read as 2019-07-01");
    }

    @Test
    void conditionWithoutCodeIsKeptAndReported() {
      var c = condition("c1", "p1").setCode(null);

      MappedRecord mapped = map(aRecordFor("p1").with(c));

      assertThat(mapped.record().conditions()).hasSize(1);
      assertThat(mapped.problems()).containsExactly("Condition/c1: has no code; it cannot match any rule");
    }
  }

  @Nested
  class Medications {

    @Test
    void requestReadsStatusAuthoredOnValidityEndAndCodeableConcept() {
      MedicationRequest mr = request("m1", "p1");
      mr.setStatus(MedicationRequest.MedicationRequestStatus.ONHOLD);
      mr.setMedication(concept(RXNORM, "7052", "morphine"));
      mr.setAuthoredOnElement(new DateTimeType("2026-01-31T22:00:00-08:00"));
      mr.getDispenseRequest().setValidityPeriod(new Period().setEndElement(new DateTimeType("2026-04-30")));

      MedicationRecord r = map(aRecordFor("p1").with(mr)).record().medications().get(0);

      assertThat(r.reference()).isEqualTo("MedicationRequest/m1");
      assertThat(r.kind()).isEqualTo(MedicationRecord.Kind.REQUEST);
      assertThat(r.status()).isEqualTo("on-hold");
      assertThat(r.medication().codings()).containsExactly(new Code(RXNORM, "7052", "morphine"));
      assertThat(r.start()).isEqualTo(LocalDate.of(2026, 1, 31));
      assertThat(r.end()).isEqualTo(LocalDate.of(2026, 4, 30));
    }

    @Test
    void containedMedicationIsResolvedWithItsIngredientCodings() {
      Medication med = medication("med1", "1049621", "oxycodone 5 MG Oral Tablet");
      med.addIngredient().setItem(concept(RXNORM, "7804", "oxycodone"));
      MedicationRequest mr = request("m1", "p1");
      mr.addContained(med);
      mr.setMedication(new Reference("#med1"));

      MappedRecord mapped = map(aRecordFor("p1").with(mr));

      assertThat(mapped.record().medications().get(0).medication().codings()).extracting(Code::code)
          .containsExactly("1049621", "7804");
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void relativeAndVersionedReferencesResolveAgainstTheRecordsMedications() {
      MedicationRequest relative = request("m1", "p1").setMedication(new Reference("Medication/123"));
      MedicationRequest versioned = request("m2", "p1").setMedication(new Reference("Medication/123/_history/4"));

      MappedRecord mapped = map(aRecordFor("p1")
          .with(medication("123", "197696", "ketamine 50 MG/ML Injectable Solution"))
          .with(relative, versioned));

      assertThat(mapped.record().medications()).allSatisfy(m ->
          assertThat(m.medication().codings()).extracting(Code::code).containsExactly("197696"));
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void urnUuidReferenceResolvesThroughTheFullUrls() {
      String uuid = "urn:uuid:5b1e8a4c-0c5f-4d1e-9a57-2f6e4f1a7c10";
      MedicationRequest mr = request("m1", "p1").setMedication(new Reference(uuid));

      MappedRecord mapped = map(aRecordFor("p1")
          .with(medication(null, "310965", "ibuprofen 200 MG Oral Tablet"), uuid)
          .with(mr));

      assertThat(mapped.record().medications().get(0).medication().codings()).extracting(Code::code)
          .containsExactly("310965");
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void absoluteUrlEndingInMedicationIdResolves() {
      MedicationStatement ms = statement("s1", "p1")
          .setMedication(new Reference("https://ehr.example/fhir/Medication/123"));

      MappedRecord mapped = map(aRecordFor("p1")
          .with(medication("123", "197696", "ketamine"), "https://other.example/fhir/Medication/123")
          .with(ms));

      assertThat(mapped.record().medications().get(0).medication().codings()).extracting(Code::code)
          .containsExactly("197696");
    }

    @Test
    void unresolvableReferenceUsesItsDisplayAndIsReported() {
      MedicationRequest named = request("m1", "p1")
          .setMedication(new Reference("Medication/gone").setDisplay("Ketamine 10 mg/mL"));
      MedicationRequest unnamed = request("m2", "p1").setMedication(new Reference("Medication/gone"));

      MappedRecord mapped = map(aRecordFor("p1").with(named, unnamed));

      assertThat(mapped.record().medications().get(0).medication().text()).isEqualTo("Ketamine 10 mg/mL");
      assertThat(mapped.record().medications().get(1).medication().codings()).isEmpty();
      assertThat(mapped.problems()).containsExactly(
          "MedicationRequest/m1: medication reference 'Medication/gone' is not in the record; "
              + "read by its display 'Ketamine 10 mg/mL'",
          "MedicationRequest/m2: medication reference 'Medication/gone' is not in the record; "
              + "the medication is unknown");
    }

    @Test
    void statementReadsEffectivePeriodAndKeepsAnyStatus() {
      MedicationStatement period = statement("s1", "p1");
      period.setStatus(MedicationStatement.MedicationStatementStatus.NOTTAKEN);
      period.setEffective(new Period().setStartElement(new DateTimeType("2025-01-01"))
          .setEndElement(new DateTimeType("2025-03-31T23:59:00-04:00")));
      MedicationStatement instant = statement("s2", "p1")
          .setEffective(new DateTimeType("2025-06-01T00:30:00+02:00"));
      instant.setDateAssertedElement(new DateTimeType("2020-01-01"));

      var meds = map(aRecordFor("p1").with(period, instant)).record().medications();

      assertThat(meds.get(0).kind()).isEqualTo(MedicationRecord.Kind.STATEMENT);
      assertThat(meds.get(0).status()).isEqualTo("not-taken");
      assertThat(meds.get(0).start()).isEqualTo(LocalDate.of(2025, 1, 1));
      assertThat(meds.get(0).end()).isEqualTo(LocalDate.of(2025, 3, 31));
      assertThat(meds.get(1).start()).isEqualTo(LocalDate.of(2025, 6, 1));
      assertThat(meds.get(1).end()).isNull();
    }

    @Test
    void unknownRequestStatusIsKeptAsWrittenAndReported() {
      MedicationRequest mr = parse(MedicationRequest.class, """
          {"resourceType":"MedicationRequest","id":"m1","status":"paused","intent":"order",
           "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"gabapentin"}}""");

      MappedRecord mapped = map(aRecordFor("p1").with(mr));

      assertThat(mapped.record().medications().get(0).status()).isEqualTo("paused");
      assertThat(mapped.problems()).containsExactly(
          "MedicationRequest/m1: status 'paused' is not a FHIR R4 code for this resource; kept as written");
    }
  }

  @Nested
  class Observations {

    @Test
    void bloodPressurePanelKeepsItsComponents() {
      Observation panel = observation("bp1", "p1", "85354-9", "2026-05-01T09:00:00+01:00");
      panel.addComponent(component("8480-6", mmHg(182)));
      panel.addComponent(component("8462-4", mmHg(104)));

      ObservationRecord r = map(aRecordFor("p1").with(panel)).record().observations().get(0);

      assertThat(r.value()).isNull();
      assertThat(r.components()).hasSize(2);
      assertThat(r.components().get(0).code().codings().get(0).code()).isEqualTo("8480-6");
      assertThat(((QuantityValue) r.components().get(0).value()).number()).isEqualByComparingTo("182");
      assertThat(((QuantityValue) r.components().get(1).value()).quantity().code()).isEqualTo("mm[Hg]");
    }

    @Test
    void componentWithDataAbsentReasonHasNoValue() {
      Observation panel = observation("bp1", "p1", "85354-9", "2026-05-01");
      panel.addComponent(component("8480-6", mmHg(150)));
      panel.addComponent(component("8462-4", null)
          .setDataAbsentReason(concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "error", null)));

      ObservationRecord r = map(aRecordFor("p1").with(panel)).record().observations().get(0);

      assertThat(r.components().get(0).value()).isInstanceOf(QuantityValue.class);
      assertThat(r.components().get(1).value()).isNull();
    }

    @Test
    void separateSystolicAndDiastolicInDifferentOffsetsShareTheInstantButKeepTheirWrittenDates() {
      Observation systolic = observation("o1", "p1", "8480-6", "2026-05-20T23:30:00-05:00").setValue(mmHg(150));
      Observation diastolic = observation("o2", "p1", "8462-4", "2026-05-21T04:30:00Z").setValue(mmHg(95));

      var obs = map(aRecordFor("p1").with(systolic, diastolic)).record().observations();

      assertThat(obs.get(0).effective().date()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(obs.get(1).effective().date()).isEqualTo(LocalDate.of(2026, 5, 21));
      assertThat(obs.get(0).effective().instant()).isEqualTo(Instant.parse("2026-05-21T04:30:00Z"))
          .isEqualTo(obs.get(1).effective().instant());
    }

    @Test
    void dateOnlyEffectiveIsStartOfThatDayInUtc() {
      Observation o = observation("o1", "p1", "29463-7", "2026-05-20").setValue(new Quantity(80));

      ObservationRecord r = map(aRecordFor("p1").with(o)).record().observations().get(0);

      assertThat(r.effective().date()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(r.effective().instant()).isEqualTo(Instant.parse("2026-05-20T00:00:00Z"));
    }

    @Test
    void effectiveInstantAndPeriodEndElseStart() {
      Observation instant = observation("o1", "p1", "29463-7", null)
          .setEffective(new InstantType("2026-05-20T10:15:30.123+02:00"));
      Observation periodEnd = observation("o2", "p1", "29463-7", null).setEffective(new Period()
          .setStartElement(new DateTimeType("2026-05-01")).setEndElement(new DateTimeType("2026-05-03")));
      Observation periodStart = observation("o3", "p1", "29463-7", null)
          .setEffective(new Period().setStartElement(new DateTimeType("2026-04-01")));

      var obs = map(aRecordFor("p1").with(instant, periodEnd, periodStart)).record().observations();

      assertThat(obs.get(0).effective().instant()).isEqualTo(Instant.parse("2026-05-20T08:15:30.123Z"));
      assertThat(obs.get(0).effective().date()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(obs.get(1).effective().date()).isEqualTo(LocalDate.of(2026, 5, 3));
      assertThat(obs.get(2).effective().date()).isEqualTo(LocalDate.of(2026, 4, 1));
    }

    @Test
    void missingOrTimingEffectiveIsNullAndReported() {
      Observation none = observation("o1", "p1", "29463-7", null);
      Observation timing = observation("o2", "p1", "29463-7", null)
          .setEffective(new Timing().addEvent(new DateTimeType("2026-05-01").getValue()));

      MappedRecord mapped = map(aRecordFor("p1").with(none, timing));

      assertThat(mapped.record().observations()).extracting(ObservationRecord::effective).containsOnlyNulls();
      assertThat(mapped.problems()).containsExactly(
          "Observation/o1: has no effective time; it cannot be placed in any window",
          "Observation/o2: effective time is a Timing, which has no single time; the observation has no usable date");
    }

    @Test
    void invalidEffectiveDateFromALenientParseIsReportedAndIgnored() {
      Observation o = parse(Observation.class, """
          {"resourceType":"Observation","id":"o7","status":"final","code":{"text":"weight"},
           "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-13-01",
           "valueQuantity":{"value":80,"unit":"kg"}}""");

      MappedRecord mapped = map(aRecordFor("p1").with(o));

      assertThat(mapped.record().observations().get(0).effective()).isNull();
      assertThat(mapped.problems()).containsExactly(
          "Observation/o7: effective date '2020-13-01' is not a date; ignored");
    }

    @Test
    void dataAbsentReasonMeansNoValueEvenWhenAValueIsPresent() {
      Observation o = observation("o1", "p1", "29463-7", "2026-05-20").setValue(new Quantity(80));
      o.setDataAbsentReason(concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", null));

      assertThat(map(aRecordFor("p1").with(o)).record().observations().get(0).value()).isNull();
    }

    @Test
    void quantityWithoutANumberIsNoValueAndReported() {
      Observation o = observation("o1", "p1", "29463-7", "2026-05-20")
          .setValue(new Quantity().setUnit("kg").setSystem(UCUM).setCode("kg"));

      MappedRecord mapped = map(aRecordFor("p1").with(o));

      assertThat(mapped.record().observations().get(0).value()).isNull();
      assertThat(mapped.problems()).containsExactly(
          "Observation/o1: value is a quantity without a number; read as no value");
    }

    @Test
    void quantityKeepsValueUnitSystemAndCodeAndReportsAComparator() {
      Observation o = observation("o1", "p1", "1742-6", "2026-05-20")
          .setValue(new Quantity().setValue(new BigDecimal("1000")).setUnit("U/L").setSystem(UCUM).setCode("U/L")
              .setComparator(Quantity.QuantityComparator.GREATER_THAN));

      MappedRecord mapped = map(aRecordFor("p1").with(o));

      var q = ((QuantityValue) mapped.record().observations().get(0).value()).quantity();
      assertThat(q).isEqualTo(new org.ketamineadvisor.advisor.terminology.Quantity(
          new BigDecimal("1000"), "U/L", UCUM, "U/L"));
      assertThat(mapped.problems()).containsExactly("Observation/o1: value is '>1000 U/L'; read as 1000 U/L");
    }

    @Test
    void codedAndOtherValueTypes() {
      Observation coded = observation("o1", "p1", "2106-3", "2026-05-20")
          .setValue(concept(SNOMED, "10828004", "Positive"));
      Observation text = observation("o2", "p1", "72514-3", "2026-05-20").setValue(new StringType("7/10"));

      var obs = map(aRecordFor("p1").with(coded, text)).record().observations();

      assertThat(((CodedValue) obs.get(0).value()).concept().codings()).containsExactly(
          new Code(SNOMED, "10828004", "Positive"));
      assertThat(obs.get(1).value()).isEqualTo(new OtherValue("string"));
    }

    @Test
    void firstReferenceRangeHighIsKept() {
      Observation withRange = observation("o1", "p1", "1742-6", "2026-05-20").setValue(new Quantity(40));
      withRange.addReferenceRange().setHigh((org.hl7.fhir.r4.model.SimpleQuantity)
          new org.hl7.fhir.r4.model.SimpleQuantity().setValue(33).setUnit("U/L"));
      withRange.addReferenceRange().setHigh((org.hl7.fhir.r4.model.SimpleQuantity)
          new org.hl7.fhir.r4.model.SimpleQuantity().setValue(99).setUnit("U/L"));
      Observation lowOnly = observation("o2", "p1", "1742-6", "2026-05-20").setValue(new Quantity(40));
      lowOnly.addReferenceRange().setLow((org.hl7.fhir.r4.model.SimpleQuantity)
          new org.hl7.fhir.r4.model.SimpleQuantity().setValue(7));

      var obs = map(aRecordFor("p1").with(withRange, lowOnly)).record().observations();

      assertThat(obs.get(0).referenceHigh().value()).isEqualByComparingTo("33");
      assertThat(obs.get(0).referenceHigh().unit()).isEqualTo("U/L");
      assertThat(obs.get(1).referenceHigh()).isNull();
    }

    @Test
    void statusIsKeptAsWritten() {
      Observation o = observation("o1", "p1", "29463-7", "2026-05-20")
          .setStatus(Observation.ObservationStatus.ENTEREDINERROR);

      assertThat(map(aRecordFor("p1").with(o)).record().observations().get(0).status())
          .isEqualTo("entered-in-error");
    }
  }

  @Nested
  class Allergies {

    @Test
    void substanceAndStatusCodesAsWritten() {
      var a = allergy("a1", "p1").setCode(concept(RXNORM, "6130", "ketamine"));
      a.setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null));
      a.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
          "unconfirmed", null));

      AllergyRecord r = map(aRecordFor("p1").with(a)).record().allergies().get(0);

      assertThat(r.reference()).isEqualTo("AllergyIntolerance/a1");
      assertThat(r.substance().codings()).containsExactly(new Code(RXNORM, "6130", "ketamine"));
      assertThat(r.clinicalStatus()).isEqualTo("active");
      assertThat(r.verificationStatus()).isEqualTo("unconfirmed");
    }

    @Test
    void substanceNamedOnlyInTheReactionIsStillTheAllergen() {
      var a = allergy("a1", "p1");
      a.addReaction().setSubstance(concept(RXNORM, "6130", "ketamine"));

      AllergyRecord r = map(aRecordFor("p1").with(a)).record().allergies().get(0);

      assertThat(r.substance().codings()).extracting(Code::code).containsExactly("6130");
      assertThat(r.clinicalStatus()).isNull();
    }

    @Test
    void allergyForAnotherPatientIsDropped() {
      MappedRecord mapped = map(aRecordFor("p1").with(allergy("a1", "p2")));

      assertThat(mapped.record().allergies()).isEmpty();
      assertThat(mapped.problems()).containsExactly(
          "AllergyIntolerance/a1: its subject is Patient/p2, not this patient; dropped");
    }
  }

  @Nested
  class SubjectsAndReferences {

    @Test
    void resourcesOfAnotherPatientOrAGroupAreDroppedAndReported() {
      var group = condition("c3", "p1").setSubject(new Reference("Group/g1"));

      MappedRecord mapped = map(aRecordFor("p1")
          .with(condition("c1", "p1"), condition("c2", "p2"), group,
              observation("o1", "p9", "29463-7", "2026-05-01"), request("m1", "p2")));

      assertThat(mapped.record().conditions()).extracting(ConditionRecord::reference).containsExactly("Condition/c1");
      assertThat(mapped.record().observations()).isEmpty();
      assertThat(mapped.problems()).containsExactly(
          "Condition/c2: its subject is Patient/p2, not this patient; dropped",
          "Condition/c3: its subject is Group/g1, not this patient; dropped",
          "Observation/o1: its subject is Patient/p9, not this patient; dropped",
          "MedicationRequest/m1: its subject is Patient/p2, not this patient; dropped");
    }

    @Test
    void absoluteVersionedAndUrnSubjectsOfThisPatientAreKept() {
      String patientUrl = "urn:uuid:0d5c1f1e-7d2a-4b8e-8f3e-1c2b3a4d5e6f";
      Patient p = patient("p1");
      var absolute = condition("c1", "p1").setSubject(new Reference("https://ehr.example/fhir/Patient/p1"));
      var versioned = condition("c2", "p1").setSubject(new Reference("Patient/p1/_history/7"));
      var urn = condition("c3", "p1").setSubject(new Reference(patientUrl));
      var identifierOnly = condition("c4", "p1").setSubject(new Reference().setDisplay("someone"));

      MappedRecord mapped = map(aRecordFor("p1").patient(p).with(p, patientUrl)
          .with(absolute, versioned, urn, identifierOnly));

      assertThat(mapped.record().conditions()).hasSize(4);
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void urnSubjectOfAnotherPatientInTheSameBundleIsDropped() {
      String otherUrl = "urn:uuid:11111111-2222-3333-4444-555555555555";
      var c = condition("c1", "p1").setSubject(new Reference(otherUrl));

      MappedRecord mapped = map(aRecordFor("p1").with(patient("p2"), otherUrl).with(c));

      assertThat(mapped.record().conditions()).isEmpty();
      assertThat(mapped.problems()).containsExactly("Condition/c1: its subject is " + otherUrl
          + ", not this patient; dropped");
    }

    @Test
    void syntheaStyleUrnIdsAreNamedByTheirUuid() {
      String uuid = "8c7f9a62-3d2f-4a6f-9c61-7b1e2e0a0b11";
      org.hl7.fhir.r4.model.Bundle parsed = parse(org.hl7.fhir.r4.model.Bundle.class, """
          {"resourceType":"Bundle","type":"collection","entry":[
           {"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Patient","gender":"male"}},
           {"fullUrl":"urn:uuid:c0ffee00-0000-4000-8000-000000000001","resource":{"resourceType":"Condition",
             "subject":{"reference":"urn:uuid:%s"},"code":{"text":"neuropathy"}}}]}""".formatted(uuid, uuid));
      Patient p = (Patient) parsed.getEntry().get(0).getResource();

      MappedRecord mapped = map(aRecordFor(uuid).patient(p)
          .with(parsed.getEntry().get(1).getResource(), parsed.getEntry().get(1).getFullUrl()));

      assertThat(mapped.record().patient().id()).isEqualTo(uuid);
      assertThat(mapped.record().patient().sex()).isEqualTo(AdministrativeSex.MALE);
      assertThat(mapped.record().conditions()).extracting(ConditionRecord::reference)
          .containsExactly("Condition/c0ffee00-0000-4000-8000-000000000001");
      assertThat(mapped.problems()).isEmpty();
    }

    @Test
    void referencesAreUnqualifiedAndUnversionedAndFallBackToTheFullUrl() {
      Observation absoluteId = observation(null, "p1", "29463-7", "2026-05-01");
      absoluteId.setId("https://ehr.example/fhir/Observation/o5/_history/2");
      Observation noId = observation(null, "p1", "29463-7", "2026-05-01");
      noId.setIdElement(null);
      Observation nothing = observation(null, "p1", "29463-7", "2026-05-01");
      nothing.setIdElement(null);

      MappedRecord mapped = map(aRecordFor("p1").with(absoluteId)
          .with(noId, "urn:uuid:abc-123").with(nothing));

      assertThat(mapped.record().observations()).extracting(ObservationRecord::reference)
          .containsExactly("Observation/o5", "Observation/abc-123", "Observation/entry-3");
      assertThat(mapped.problems()).containsExactly(
          "Observation/entry-3: has neither an id nor a full URL; named by its position in the record");
    }

    @Test
    void otherResourceTypesAreIgnoredSilently() {
      Encounter encounter = new Encounter();
      encounter.setId("e1");
      encounter.setSubject(new Reference("Patient/p2"));

      MappedRecord mapped = map(aRecordFor("p1").with(encounter, medication("123", "197696", "ketamine")));

      assertThat(mapped.record().conditions()).isEmpty();
      assertThat(mapped.record().medications()).isEmpty();
      assertThat(mapped.problems()).isEmpty();
    }
  }

  @Nested
  class Robustness {

    @Test
    void aResourceThatCannotBeReadBecomesAProblemAndTheOthersAreMapped() {
      Observation broken = new Observation() {
        @Override
        public CodeableConcept getCode() {
          throw new IllegalStateException("code element is corrupt");
        }
      };
      broken.setId("o1");
      broken.setStatus(Observation.ObservationStatus.FINAL);

      MappedRecord mapped = map(aRecordFor("p1").with(broken, condition("c1", "p1")));

      assertThat(mapped.record().observations()).isEmpty();
      assertThat(mapped.record().conditions()).hasSize(1);
      assertThat(mapped.problems()).containsExactly(
          "Observation/o1: could not be read (code element is corrupt); ignored");
    }

    @Test
    void problemsAreCappedWithACountOfTheRest() {
      var builder = aRecordFor("p1");
      for (int i = 0; i < MappingProblems.LIMIT + 50; i++) {
        builder.with(observation("o" + i, "p1", "29463-7", null));
      }

      MappedRecord mapped = map(builder);

      assertThat(mapped.record().observations()).hasSize(MappingProblems.LIMIT + 50);
      assertThat(mapped.problems()).hasSize(MappingProblems.LIMIT + 1);
      assertThat(mapped.problems().get(MappingProblems.LIMIT)).contains("50 more problems");
    }

    @Test
    void aLargeRecordMapsEveryResource() {
      var builder = aRecordFor("p1");
      for (int i = 0; i < 9_000; i++) {
        builder.with(observation("o" + i, "p1", "29463-7", "2026-05-01T10:00:00+02:00").setValue(new Quantity(70)));
      }

      MappedRecord mapped = map(builder);

      assertThat(mapped.record().observations()).hasSize(9_000);
      assertThat(mapped.problems()).isEmpty();
    }
  }

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  /** A lenient parse, as the readers do: the only way to get invalid text into HAPI's model. */
  private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Class<T> type, String json) {
    IParser parser = FHIR.newJsonParser()
        .setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false));
    return parser.parseResource(type, json);
  }

}
