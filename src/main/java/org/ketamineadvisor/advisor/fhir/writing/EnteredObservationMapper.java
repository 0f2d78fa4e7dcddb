package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.ENTERED_OBSERVATION_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.ENTERED_OBSERVATION_PROFILE;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.ObservationRecord;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Quantity;

/**
 * Maps a value a clinician entered (CLINICAL-RULES § 2.4) to the Observations written with the signed assessment:
 * status final, the LOINC code the rules read, the vital-signs or laboratory category, the clinician as performer,
 * and (for blood pressure and weight) the FHIR core vital-signs profile as well as the app's own.
 */
final class EnteredObservationMapper {
  static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
  static final String BP_PROFILE = "http://hl7.org/fhir/StructureDefinition/bp";
  static final String BODY_WEIGHT_PROFILE = "http://hl7.org/fhir/StructureDefinition/bodyweight";

  private EnteredObservationMapper() {}

  /** One Observation per observation of the value, with the reference (urn:uuid) the findings cite as its id. */
  static List<Mapped> map(EnteredValue value, String patientId) {
    List<Mapped> out = new ArrayList<>();
    for (ObservationRecord record : value.observations()) {
      Observation o = new Observation();
      o.getMeta().addProfile(ENTERED_OBSERVATION_PROFILE);
      String code = record.code().codings().get(0).code();
      boolean vital = !(value.reading() instanceof EnteredValue.LiverTests);
      if ("85354-9".equals(code)) {
        o.getMeta().addProfile(BP_PROFILE);
      } else if ("29463-7".equals(code)) {
        o.getMeta().addProfile(BODY_WEIGHT_PROFILE);
      }
      Identifier identifier = new Identifier().setSystem(ENTERED_OBSERVATION_IDENTIFIER)
          .setValue(record.reference().substring("urn:uuid:".length()));
      o.addIdentifier(identifier);
      o.setStatus(Observation.ObservationStatus.FINAL);
      o.addCategory(vital ? new CodeableConcept(new Coding(CATEGORY_SYSTEM, "vital-signs", "Vital Signs"))
          .setText("Vital Signs") : new CodeableConcept(new Coding(CATEGORY_SYSTEM, "laboratory", "Laboratory"))
          .setText("Laboratory"));
      o.setCode(concept(record.code().codings().get(0)));
      o.setSubject(new Reference("Patient/" + patientId));
      o.setEffective(References.utc(value.measuredAt()));
      o.setIssuedElement(References.utcInstant(value.enteredAt()));
      o.addPerformer(References.looksLikeReference(value.author()) ? new Reference(value.author())
          : new Reference().setDisplay(value.author()));
      if (record.value() instanceof ObservationRecord.QuantityValue q) {
        o.setValue(quantity(q.quantity()));
      }
      for (ObservationRecord.Component c : record.components()) {
        o.addComponent().setCode(concept(c.code().codings().get(0)))
            .setValue(quantity(((ObservationRecord.QuantityValue) c.value()).quantity()));
      }
      if (record.referenceHigh() != null) {
        o.addReferenceRange().setHigh(quantity(record.referenceHigh()));
      }
      o.addNote().setText("Entered by the clinician in the Ketamine Infusion Advisor to settle "
          + value.rule().id() + " (" + value.describe() + ")");
      out.add(new Mapped(record.reference(), identifier, o));
    }
    return out;
  }

  /** An Observation with the urn:uuid full URL the assessment's evidence refers to, and its business identifier. */
  record Mapped(String fullUrl, Identifier identifier, Observation observation) {}

  private static CodeableConcept concept(Code code) {
    return new CodeableConcept(new Coding(code.system(), code.code(), code.display())).setText(code.display());
  }

  private static org.hl7.fhir.r4.model.Quantity quantity(Quantity q) {
    return new org.hl7.fhir.r4.model.Quantity().setValue(q.value()).setUnit(q.unit()).setSystem(q.system())
        .setCode(q.code());
  }
}
