package org.ketamineadvisor.advisor.sandbox;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * A showcase patient in the middle or at the end of a course (rule set v1.1 § 8), made at sandbox start-up as an
 * EHR would hold it: the plan signed (through the app's own workspace, as Dr Ada) as of the day it was assessed,
 * the sessions given so far documented as completed ketamine MedicationAdministrations, and, for an infusion day,
 * this morning's vital signs 35 minutes before start-up on the sandbox's date (the page checks at the current time
 * of day), so that the 4-hour check sees them.
 *
 * <p>The README's command-line example checks at 09:00 UTC on that date. When the start-up readings do not fall in
 * its 4 hours, the same values are recorded once more at {@link #EXAMPLE_READINGS_AT} (08:25 UTC), or at start-up
 * when that is earlier: never after the sandbox's "now", so a later re-measurement stays the latest reading. A
 * sandbox started before 05:00 UTC cannot have that morning's readings yet.
 */
record ShowcaseCourse(String patient, LocalDate signedAsOf, int sessionsGiven, Morning morning) {

  /** This morning's BP, heart rate and SpO2; null for a course that is over. */
  record Morning(int systolic, int diastolic, int heartRate, int spo2) {}

  static final List<ShowcaseCourse> ALL = List.of(
      new ShowcaseCourse("course-go", LocalDate.of(2026, 5, 26), 3, new Morning(132, 84, 78, 97)),
      new ShowcaseCourse("course-hold", LocalDate.of(2026, 5, 26), 3, new Morning(188, 102, 84, 96)),
      new ShowcaseCourse("course-responder", LocalDate.of(2026, 2, 16), 10, null),
      new ShowcaseCourse("course-non-responder", LocalDate.of(2026, 2, 16), 10, null));

  private static final String KETAMINE = "6130";

  /** The README's day-check example runs {@code --at 2026-06-01T09:00:00Z}: its readings are 35 minutes older. */
  static final Instant EXAMPLE_READINGS_AT = Instant.parse(TestKetamineAdvisorApplication.SEED_AS_OF + "T08:25:00Z");

  void seed(String fhirBase, String fhirUser, Clock clock) {
    var workspace = PatientWorkspace.forR4(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
        FhirClientSettings.defaults());
    var access = new ChartAccess(true, true);
    var opened = workspace.open(new PatientWorkspace.Launch(fhirBase, patient, "sandbox-seed", signedAsOf, access));
    if (opened.chart().currentPlan().isPresent()) {
      return;
    }
    var assessed = workspace.assess(opened, List.of(), List.of(), PlanRequest.defaults());
    Instant signedAt = signedAsOf.atTime(16, 0).toInstant(ZoneOffset.UTC);
    var result = workspace.sign(opened, assessed, new PatientWorkspace.Signing(fhirUser, DemoUser.DR_ADA.displayName(),
        signedAt, AppVersion.version(), "sandbox-seed", access, null, false));
    if (!result.succeeded()) {
      throw new IllegalStateException("could not sign the showcase course of " + patient + ": " + result.failure());
    }
    List<LocalDate> sessions = assessed.plan().orElseThrow().sessionDates();
    IGenericClient fhir = FhirContext.forR4Cached().newRestfulGenericClient(fhirBase);
    Bundle documented = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (int i = 0; i < sessionsGiven; i++) {
      MedicationAdministration given = new MedicationAdministration();
      given.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
      given.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", KETAMINE,
          "ketamine")).setText("Ketamine IV infusion, session " + (i + 1)));
      given.setSubject(new Reference("Patient/" + patient));
      given.setEffective(new DateTimeType(sessions.get(i) + "T09:00:00Z"));
      given.getDosage().setDose(new Quantity().setValue(assessed.plan().get().doseMg()).setUnit("mg")
          .setSystem("http://unitsofmeasure.org").setCode("mg"))
          .setRoute(new CodeableConcept(new Coding("http://snomed.info/sct", "47625008", "Intravenous route")));
      documented.addEntry().setResource(given).getRequest().setMethod(Bundle.HTTPVerb.POST)
          .setUrl("MedicationAdministration");
    }
    if (morning != null) {
      LocalDate today = LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF);
      LocalTime time = clock.instant().minus(Duration.ofMinutes(35)).atOffset(ZoneOffset.UTC).toLocalTime();
      boolean yesterday = clock.instant().atOffset(ZoneOffset.UTC).toLocalTime().isBefore(LocalTime.of(0, 35));
      Instant startUp = (yesterday ? today.atStartOfDay() : today.atTime(time)).toInstant(ZoneOffset.UTC);
      Instant sandboxNow = startUp.plus(Duration.ofMinutes(35));
      Instant exampleCheck = EXAMPLE_READINGS_AT.plus(Duration.ofMinutes(35));
      Instant exampleWindow = exampleCheck.minus(Duration.ofHours(4));
      List<Instant> times = new java.util.ArrayList<>(List.of(startUp));
      boolean startUpServesTheExample = !startUp.isAfter(exampleCheck) && !startUp.isBefore(exampleWindow);
      Instant example = sandboxNow.isBefore(EXAMPLE_READINGS_AT) ? sandboxNow : EXAMPLE_READINGS_AT;
      if (!startUpServesTheExample && !example.isBefore(exampleWindow)) {
        times.add(0, example);
      }
      for (Instant at : times) {
        documented.addEntry().setResource(VitalSigns.bloodPressure(patient, at, morning.systolic(),
            morning.diastolic()))
            .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        documented.addEntry().setResource(VitalSigns.observation(patient, at, "8867-4", "Heart rate", morning.heartRate(),
            "/min"))
            .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        documented.addEntry().setResource(VitalSigns.observation(patient, at, "59408-5",
            "Oxygen saturation in Arterial blood by Pulse oximetry", morning.spo2(), "%"))
            .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
      }
    }
    fhir.transaction().withBundle(documented).execute();
  }

}
