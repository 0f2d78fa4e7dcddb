package org.ketamineadvisor.advisor.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * Courses as a clinic's EHR holds them, for the tests of the course as data and of the site's day check: a copy of
 * the {@code crps-suitable} showcase (Maria Elena Costa, born 1978-03-14) signed through the app's own workspace as
 * of {@link #SIGNED_AS_OF}, then what the staff document — ketamine administrations, pain scores, this morning's
 * vital signs — and a plan the clinician completed.
 */
public final class SeededCourses {

  /** The signing date T; the default plan's ten sessions run from Tuesday 2026-06-02 to Monday 2026-06-15. */
  public static final LocalDate SIGNED_AS_OF = LocalDate.of(2026, 6, 1);
  private static final ChartAccess FULL = new ChartAccess(true, true);
  /** Its own context: no metadata fetch before each documented resource, and patience on a busy machine. */
  private static final FhirContext FHIR = writerContext();

  private final String base;
  private final PatientWorkspace workspace;

  public SeededCourses(String base) {
    this.base = base;
    this.workspace = PatientWorkspace.forR4(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
        FhirClientSettings.defaults());
  }

  /** A copy of the showcase, not signed: no course. */
  public String unsigned() {
    return ShowcaseCopies.load("crps-suitable", base);
  }

  /**
   * A signed copy; {@code baseline} is recorded first on 2026-05-25 (the latest pain score within 90 days before T:
   * the baseline) unless null; {@code start} the first session (null: the day after T).
   */
  public String signed(String baseline, LocalDate start) {
    return sign(unsigned(), baseline, start);
  }

  /**
   * A signed copy whose pain scores were all marked entered-in-error after signing: the record no longer holds the
   * baseline the signed assessment used.
   */
  public String signedWithoutBaseline() {
    String patient = signed(null, null);
    Bundle scores = client().search().forResource(Observation.class)
        .where(Observation.SUBJECT.hasId("Patient/" + patient))
        .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "72514-3"))
        .returnBundle(Bundle.class).execute();
    for (Bundle.BundleEntryComponent e : scores.getEntry()) {
      Observation score = (Observation) e.getResource();
      score.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
      client().update().resource(score).execute();
    }
    return patient;
  }

  private String sign(String patient, String baseline, LocalDate start) {
    if (baseline != null) {
      pain(patient, "2026-05-25T10:00:00Z", baseline);
    }
    OpenedPatient opened = open(patient);
    WriteResult signed = workspace.sign(opened, workspace.assess(opened, List.of(), List.of(),
        new PlanRequest(null, start, null)), new PatientWorkspace.Signing("Practitioner/dr-ada", "Dr Ada Lovelace",
        Instant.now(), "test", "token", FULL, null, false));
    assertThat(signed.succeeded()).as(signed.failure()).isTrue();
    return patient;
  }

  /** The session days of the patient's signed plan. */
  public List<LocalDate> sessions(String patient) {
    return SignedCourse.of(open(patient).chart()).orElseThrow().sessions();
  }

  /** Completed ketamine administrations (RxNorm 6130) at 09:00 UTC on each day. */
  public void administer(String patient, List<LocalDate> days) {
    Bundle given = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (LocalDate day : days) {
      MedicationAdministration a = new MedicationAdministration();
      a.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
      a.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130",
          "ketamine")));
      a.setSubject(new Reference("Patient/" + patient));
      a.setEffective(new DateTimeType(day + "T09:00:00Z"));
      given.addEntry().setResource(a).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
    }
    client().transaction().withBundle(given).execute();
  }

  /** A pain score (LOINC 72514-3, 0-10) at {@code at} (an ISO date-time). */
  public void pain(String patient, String at, String score) {
    Observation o = observation(patient, "72514-3", at);
    o.setValue(new Quantity().setValue(new java.math.BigDecimal(score)).setUnit("{score}")
        .setSystem("http://unitsofmeasure.org").setCode("{score}"));
    client().create().resource(o).execute();
  }

  /** Normal vital signs (BP 132/84, heart rate 78, SpO2 97 %) and a negative hCG test at {@code at}. */
  public void normalMorning(String patient, String at) {
    Bundle morning = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Observation bp = observation(patient, "85354-9", at);
    bp.addComponent(component("8480-6", 132)).addComponent(component("8462-4", 84));
    Observation hr = observation(patient, "8867-4", at);
    hr.setValue(new Quantity(78).setUnit("/min").setSystem("http://unitsofmeasure.org").setCode("/min"));
    Observation spo2 = observation(patient, "59408-5", at);
    spo2.setValue(new Quantity(97).setUnit("%").setSystem("http://unitsofmeasure.org").setCode("%"));
    Observation hcg = observation(patient, "2106-3", at);
    hcg.setValue(new CodeableConcept(new Coding("http://snomed.info/sct", "260385009", "Negative")));
    for (Observation o : List.of(bp, hr, spo2, hcg)) {
      morning.addEntry().setResource(o).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    }
    client().transaction().withBundle(morning).execute();
  }

  /** The clinician confirmed the 12-week standing: the plan's status becomes completed (as the app writes it). */
  public void complete(String patient) {
    String id = open(patient).chart().currentPlan().orElseThrow().id();
    CarePlan plan = client().read().resource(CarePlan.class).withId(new IdType(id).getIdPart()).execute();
    plan.setStatus(CarePlan.CarePlanStatus.COMPLETED);
    client().update().resource(plan).execute();
  }

  /** The signed plan as an older or hand-edited one might read: its session series without its daily dose. */
  public String withoutDose(String patient) {
    String id = open(patient).chart().currentPlan().orElseThrow().id();
    CarePlan plan = client().read().resource(CarePlan.class).withId(new IdType(id).getIdPart()).execute();
    plan.getActivityFirstRep().getDetail().setDailyAmount(null);
    client().update().resource(plan).execute();
    return id;
  }

  /** A second active plan of this app for the patient (never allowed: the search must report it). */
  public String secondActivePlan(String patient) {
    String id = open(patient).chart().currentPlan().orElseThrow().id();
    CarePlan plan = client().read().resource(CarePlan.class).withId(new IdType(id).getIdPart()).execute();
    CarePlan copy = plan.copy();
    copy.setId((String) null);
    copy.getMeta().setVersionId(null).setLastUpdated(null);
    copy.getIdentifierFirstRep().setValue(copy.getIdentifierFirstRep().getValue() + "-duplicate");
    return "CarePlan/" + client().create().resource(copy).execute().getId().getIdPart();
  }

  public OpenedPatient open(String patient) {
    return workspace.open(new PatientWorkspace.Launch(base, patient, "token", SIGNED_AS_OF, FULL));
  }

  private static FhirContext writerContext() {
    FhirContext ctx = FhirContext.forR4();
    ctx.getRestfulClientFactory().setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setSocketTimeout(120_000);
    return ctx;
  }

  private IGenericClient client() {
    return FHIR.newRestfulGenericClient(base);
  }

  private static Observation observation(String patient, String loinc, String at) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
    o.setSubject(new Reference("Patient/" + patient));
    o.setEffective(new DateTimeType(at));
    return o;
  }

  private static Observation.ObservationComponentComponent component(String loinc, int mmHg) {
    return new Observation.ObservationComponentComponent(new CodeableConcept(new Coding("http://loinc.org", loinc,
        null))).setValue(new Quantity(mmHg).setUnit("mmHg").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
  }
}
