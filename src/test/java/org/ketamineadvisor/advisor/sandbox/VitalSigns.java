package org.ketamineadvisor.advisor.sandbox;

import java.time.Instant;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Vital signs as the sandbox's staff, seeds and benches record them: a final LOINC-coded Observation at an instant
 * (seconds, UTC), and the blood pressure panel with its systolic and diastolic components in mm[Hg].
 */
public final class VitalSigns {

  private VitalSigns() {}

  /** A vital sign; {@code value} null for a panel whose values are its components. */
  public static Observation observation(String patientId, Instant at, String loinc, String display, Integer value,
      String unit) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
        "vital-signs", "Vital Signs")));
    o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, display)));
    o.setSubject(new Reference("Patient/" + patientId));
    o.setEffective(new DateTimeType(java.util.Date.from(at), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
        java.util.TimeZone.getTimeZone("UTC")));
    if (value != null) {
      o.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
    }
    return o;
  }

  /** The blood pressure panel (LOINC 85354-9) with systolic 8480-6 and diastolic 8462-4 in mm[Hg]. */
  public static Observation bloodPressure(String patientId, Instant at, int systolic, int diastolic) {
    return observation(patientId, at, "85354-9", "Blood pressure panel", null, null)
        .addComponent(component("8480-6", "Systolic blood pressure", systolic))
        .addComponent(component("8462-4", "Diastolic blood pressure", diastolic));
  }

  private static Observation.ObservationComponentComponent component(String loinc, String display, int value) {
    return new Observation.ObservationComponentComponent(new CodeableConcept(new Coding("http://loinc.org", loinc,
        display))).setValue(new Quantity().setValue(value).setUnit("mmHg").setSystem("http://unitsofmeasure.org")
        .setCode("mm[Hg]"));
  }
}
