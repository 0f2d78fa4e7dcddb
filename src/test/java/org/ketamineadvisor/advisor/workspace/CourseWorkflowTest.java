package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.chart.SignedCourse;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpBundle;
import org.ketamineadvisor.advisor.fhir.writing.SharedValidator;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.workspace.LiveChart.FHIR;
import static org.ketamineadvisor.advisor.workspace.LiveChart.base;
import static org.ketamineadvisor.advisor.workspace.LiveChart.client;
import static org.ketamineadvisor.advisor.workspace.LiveChart.open;
import static org.ketamineadvisor.advisor.workspace.LiveChart.search;
import static org.ketamineadvisor.advisor.workspace.LiveChart.signing;
import static org.ketamineadvisor.advisor.workspace.LiveChart.workspace;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpUpdate;

/**
 * The course after signing against a real HAPI JPA server (rule set v1.1 § 8): the Goal written with the plan,
 * the administration record and the app's Goal read with the chart, a follow-up recorded with If-Match, and a stale
 * one refused with nothing written.
 */
class CourseWorkflowTest {

  @Test
  void signingWritesTheGoalWithThePlanAndItValidates() {
    String patient = signedCopy();
    List<CarePlan> plans = search(CarePlan.class, patient);
    assertThat(plans).hasSize(1);
    List<Goal> goals = search(Goal.class, patient);
    assertThat(goals).hasSize(1);
    Goal goal = goals.get(0);
    assertThat(plans.get(0).getGoalFirstRep().getReference()).isEqualTo("Goal/" + goal.getIdElement().getIdPart());
    // crps-suitable: pain 7 on 2026-05-20 → target 4.9 or less, due on the 12-week follow-up
    assertThat(goal.getDescription().getText()).contains("at least 30 % from baseline 7").contains("4.9 or less");
    assertThat(goal.getTargetFirstRep().getDetailQuantity().getValue()).isEqualByComparingTo("4.9");
    assertThat(goal.getTargetFirstRep().getDetailQuantity().getComparator().toCode()).isEqualTo("<=");
    assertThat(goal.getTargetFirstRep().getDueDateType().getValueAsString()).isEqualTo("2026-09-07");
    assertThat(goal.getLifecycleStatus()).isEqualTo(Goal.GoalLifecycleStatus.ACTIVE);
    assertThat(goal.getAchievementStatus().getCodingFirstRep().getCode()).isEqualTo("in-progress");
    assertThat(goal.getExpressedBy().getDisplay()).isEqualTo("Dr Ada Lovelace");
    assertThat(SharedValidator.get().errors(goal)).isEmpty();
    assertThat(search(Provenance.class, null).stream().anyMatch(p -> p.getTarget().stream()
        .anyMatch(t -> t.getReference().equals("Goal/" + goal.getIdElement().getIdPart())))).isTrue();
  }

  @Test
  void theChartReadFindsTheGoalAndOnlyTheKetamineAdministrations() {
    String patient = signedCopy();
    administer(patient, "6130", "2026-06-02", MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
    administer(patient, "6130", "2026-06-03", MedicationAdministration.MedicationAdministrationStatus.NOTDONE);
    administer(patient, "7052", "2026-06-03", MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
    OpenedPatient opened = open(patient);
    assertThat(opened.chart().courseProblem()).isNull();
    assertThat(opened.chart().currentGoal()).isPresent();
    assertThat(opened.chart().administrations()).extracting(a -> a.date() + " " + a.status())
        .containsExactlyInAnyOrder("2026-06-02 completed", "2026-06-03 not-done");
    var course = SignedCourse.of(opened.chart()).orElseThrow();
    assertThat(course.sessions()).hasSize(10).startsWith(LocalDate.of(2026, 6, 2));
    assertThat(course.doseMg()).isEqualTo(100);
    assertThat(course.minutesPerSession()).isEqualTo(240);
    assertThat(course.dosingWeightKg()).isEqualByComparingTo("72.0");
  }

  @Test
  void aConfirmedFollowUpUpdatesGoalAndPlanWithIfMatchAndAStaleOneIsRefused() {
    String patient = signedCopy();
    OpenedPatient opened = open(patient);
    ExistingPlan plan = opened.chart().currentPlan().orElseThrow();
    ExistingGoal goal = opened.chart().currentGoal().orElseThrow();
    String score = "Observation/" + search(Observation.class, patient).stream()
        .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("72514-3")).findFirst().orElseThrow()
        .getIdElement().getIdPart();
    FollowUpUpdate twelveWeeks = new FollowUpUpdate("achieved", true, List.of(score), true, true,
        "12-week follow-up: pain 3 against baseline 7 (57.1 % lower): substantial response; responder");

    WriteResult written = workspace().recordFollowUp(opened, plan, goal, twelveWeeks, signing(null));
    assertThat(written.succeeded()).as(written.failure()).isTrue();
    Goal g = read(Goal.class, goal.id());
    assertThat(g.getAchievementStatus().getCodingFirstRep().getCode()).isEqualTo("achieved");
    assertThat(g.getLifecycleStatus()).isEqualTo(Goal.GoalLifecycleStatus.COMPLETED);
    assertThat(g.getOutcomeReferenceFirstRep().getReference()).isEqualTo(score);
    assertThat(g.getIdElement().getVersionIdPart()).isEqualTo("2");
    CarePlan p = read(CarePlan.class, plan.id());
    assertThat(p.getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
    assertThat(p.getActivityFirstRep().getDetail().getStatus()).isEqualTo(CarePlan.CarePlanActivityStatus.COMPLETED);
    assertThat(SharedValidator.get().errors(g)).isEmpty();
    assertThat(SharedValidator.get().errors(p)).isEmpty();
    assertThat(search(Provenance.class, null).stream().anyMatch(pr -> pr.getReasonFirstRep().getText() != null
        && pr.getReasonFirstRep().getText().contains("Follow-up confirmed: 12-week follow-up"))).isTrue();

    // the same page, still holding the versions it saw: refused, nothing written
    WriteResult stale = workspace().recordFollowUp(opened, plan, goal, twelveWeeks, signing(null));
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.failure()).contains("changed in the chart since you opened it");
    assertThat(read(Goal.class, goal.id()).getIdElement().getVersionIdPart()).isEqualTo("2");
  }

  @Test
  void theServerItselfRefusesAStaleIfMatchAndWritesNothing() {
    String patient = signedCopy();
    OpenedPatient opened = open(patient);
    ExistingPlan plan = opened.chart().currentPlan().orElseThrow();
    ExistingGoal goal = opened.chart().currentGoal().orElseThrow();
    CarePlan carePlan = read(CarePlan.class, plan.id());
    Goal stale = read(Goal.class, goal.id());
    // someone else updates the goal meanwhile
    Goal other = stale.copy();
    other.addNote().setText("changed by another clinician");
    client().update().resource(other).execute();
    Bundle bundle = FollowUpBundle.build(carePlan, stale, new FollowUpUpdate("in-progress", false, List.of(), true,
        false, "1-week follow-up"), new WriteBackContext("Practitioner/dr-ada", Instant.now(), true, "test"));
    try (FhirServerWriter writer = new FhirServerWriter(FHIR, base(), FhirClientSettings.defaults())) {
      WriteResult result = writer.write(bundle);
      assertThat(result.succeeded()).isFalse();
    }
    assertThat(read(CarePlan.class, plan.id()).getIdElement().getVersionIdPart())
        .as("the plan, in the same transaction, is untouched").isEqualTo(carePlan.getIdElement().getVersionIdPart());
  }

  @Test
  void theCommandLineDayCheckPrintsOneLineWithTheDecisionAndEachCheck() throws Exception {
    String patient = signedCopy();
    // the first session is Tuesday 2026-06-02; no reading yet this morning: hold
    String hold = dayCheck(patient, "2026-06-02T09:00:00Z", 0);
    var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hold);
    assertThat(line.get("decision").asText()).isEqualTo("hold");
    assertThat(line.get("session").asInt()).isEqualTo(1);
    assertThat(line.get("sessions").asInt()).isEqualTo(10);
    assertThat(line.get("dose").get("mlPerHour").asDouble()).isEqualTo(25.0);
    assertThat(line.get("checks").findValuesAsText("id")).containsExactly("DAY-BP", "DAY-HR", "DAY-SPO2",
        "DAY-PREGNANCY", "DAY-NEW-CONTRAINDICATION", "DAY-WEIGHT");
    assertThat(line.get("checks").get(0).get("result").asText()).isEqualTo("hold");
    assertThat(line.get("checks").get(0).get("nextStep").asText())
        .isEqualTo("record BP before the session (the pre-infusion vital signs), then check again");
    assertThat(line.get("day").asText()).isEqualTo("2026-06-02");
    assertThat(line.get("timeZone").asText()).isEqualTo("UTC");
    assertThat(line.get("nextSession").asText()).isEqualTo("2026-06-03");

    // the nurse records BP, heart rate and SpO2 at 08:30 — and a negative hCG (female, 48: first session)
    Bundle morning = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    morning.addEntry().setResource(vital(patient, "85354-9", null).addComponent(bp("8480-6", 132))
        .addComponent(bp("8462-4", 84))).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    morning.addEntry().setResource(vital(patient, "8867-4", new org.hl7.fhir.r4.model.Quantity(78).setUnit("/min")))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    morning.addEntry().setResource(vital(patient, "59408-5", new org.hl7.fhir.r4.model.Quantity(97).setUnit("%")))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    Observation hcg = vital(patient, "2106-3", null);
    hcg.setValue(new CodeableConcept(new Coding("http://snomed.info/sct", "260385009", "Negative")));
    morning.addEntry().setResource(hcg).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    client().transaction().withBundle(morning).execute();
    var go = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dayCheck(patient, "2026-06-02T09:00:00Z", 0));
    assertThat(go.get("decision").asText()).as(go.toString()).isEqualTo("go");
    assertThat(go.get("checks").get(0).get("reading").asText()).isEqualTo("BP 132/84 mmHg");
    assertThat(go.get("checks").get(0).get("readAt").asText()).isEqualTo("2026-06-02T08:30:00Z");
    assertThat(go.get("checks").findValues("nextStep")).as("no hold, no next step").isEmpty();

    // a day without a session names the next one
    var saturday = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dayCheck(patient, "2026-06-06T09:00:00Z", 0));
    assertThat(saturday.get("decision").asText()).isEqualTo("not-a-session-day");
    assertThat(saturday.get("nextSession").asText()).isEqualTo("2026-06-08");
    // 23:30 UTC on Monday 2026-06-01 is already Tuesday, the first session, in Zurich: the day is the site's
    var zurich = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        dayCheck(patient, "2026-06-01T23:30:00Z", 0, "--time-zone", "Europe/Zurich"));
    assertThat(zurich.get("day").asText()).isEqualTo("2026-06-02");
    assertThat(zurich.get("timeZone").asText()).isEqualTo("Europe/Zurich");
    assertThat(zurich.get("session").asInt()).isEqualTo(1);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dayCheck(patient, "2026-06-01T23:30:00Z", 0))
        .get("decision").asText()).as("in UTC it is still Monday").isEqualTo("not-a-session-day");

    // --at without --day-check
    java.io.StringWriter err = new java.io.StringWriter();
    int status = org.ketamineadvisor.advisor.cli.CommandLine.run(new String[] {"assess", "--fhir-base", base(),
        "--patient", patient, "--at", "2026-06-02T09:00:00Z"}, java.time.Clock.systemUTC(),
        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--at goes with --day-check");
  }

  private static String dayCheck(String patient, String at, int expectedStatus, String... more) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> args = new java.util.ArrayList<>(List.of("assess", "--fhir-base", base(), "--patient", patient,
        "--day-check", "--at", at));
    args.addAll(List.of(more));
    int status = org.ketamineadvisor.advisor.cli.CommandLine.run(args.toArray(String[]::new),
        java.time.Clock.systemUTC(), new java.io.PrintWriter(out), new java.io.PrintWriter(err));
    assertThat(status).as("exit status; stderr: %s", err).isEqualTo(expectedStatus);
    assertThat(out.toString().strip().lines()).hasSize(1);
    return out.toString().strip();
  }

  private static Observation vital(String patient, String loinc, org.hl7.fhir.r4.model.Quantity value) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
    o.setSubject(new Reference("Patient/" + patient));
    o.setEffective(new DateTimeType("2026-06-02T08:30:00Z"));
    if (value != null) {
      o.setValue(value.setSystem("http://unitsofmeasure.org").setCode(value.getUnit()));
    }
    return o;
  }

  private static Observation.ObservationComponentComponent bp(String loinc, int mmHg) {
    return new Observation.ObservationComponentComponent(new CodeableConcept(new Coding("http://loinc.org", loinc,
        null))).setValue(new org.hl7.fhir.r4.model.Quantity(mmHg).setUnit("mmHg")
        .setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static String signedCopy() {
    String patient = ShowcaseCopies.load("crps-suitable", base());
    OpenedPatient opened = open(patient);
    WriteResult signed = workspace().sign(opened, workspace().assess(opened, List.of(), List.of(), PlanRequest.defaults()),
        signing(null));
    assertThat(signed.succeeded()).as(signed.failure()).isTrue();
    return patient;
  }

  private static void administer(String patient, String rxnorm, String day,
      MedicationAdministration.MedicationAdministrationStatus status) {
    MedicationAdministration a = new MedicationAdministration();
    a.setStatus(status);
    a.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm, null)));
    a.setSubject(new Reference("Patient/" + patient));
    a.setEffective(new DateTimeType(day + "T09:00:00Z"));
    client().create().resource(a).execute();
  }

  private static <T extends Resource> T read(Class<T> type, String id) {
    return client().read().resource(type).withId(new IdType(id).getIdPart()).execute();
  }

}
