package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;
import org.ketamineadvisor.advisor.fhir.writing.SharedValidator;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.workspace.LiveChart.AS_OF;
import static org.ketamineadvisor.advisor.workspace.LiveChart.FHIR;
import static org.ketamineadvisor.advisor.workspace.LiveChart.base;
import static org.ketamineadvisor.advisor.workspace.LiveChart.client;
import static org.ketamineadvisor.advisor.workspace.LiveChart.open;
import static org.ketamineadvisor.advisor.workspace.LiveChart.search;
import static org.ketamineadvisor.advisor.workspace.LiveChart.signing;
import static org.ketamineadvisor.advisor.workspace.LiveChart.workspace;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace.Signing;

/**
 * The signing workflow against a real HAPI JPA server: one plan, one truth. Each test works on its own copy of a
 * showcase patient, so what other tests write to the shared server does not interfere.
 */
class SigningWorkflowTest {

  @Test
  void aSignedPlanIsFoundOnTheNextOpenAndASecondFirstSigningIsRefused() {
    String patient = copyOf("crps-suitable");
    OpenedPatient tabA = open(patient);
    OpenedPatient tabB = open(patient);
    assertThat(tabA.chart().checked()).isTrue();
    assertThat(tabA.chart().currentPlan()).isEmpty();

    WriteResult first = workspace().sign(tabA, assess(tabA, PlanRequest.defaults()), signing(null));
    assertThat(first.succeeded()).as(first.failure()).isTrue();

    // the second tab still shows the unsigned page; its signing must not write a second plan
    WriteResult second = workspace().sign(tabB, assess(tabB, new PlanRequest(null, null, 8)), signing(null));
    assertThat(second.succeeded()).isFalse();
    assertThat(second.failure()).startsWith("nothing was written: a ketamine infusion plan is already in force");
    assertThat(activePlans(patient)).hasSize(1);
    assertThat(search(RiskAssessment.class, patient)).hasSize(1);

    ChartState reopened = open(patient).chart();
    assertThat(reopened.currentPlan()).get().satisfies(p -> {
      assertThat(p.status()).isEqualTo("active");
      assertThat(p.author()).as("the signer by the name written with the reference").isEqualTo("Dr Ada Lovelace");
      assertThat(p.version()).isEqualTo("1");
    });
    assertThat(reopened.signed()).isNotNull();
    assertThat(reopened.signed().verdict()).isEqualTo("suitable");
    assertThat(reopened.signed().signer()).isEqualTo("Dr Ada Lovelace");
    assertThat(reopened.signed().written()).isNotNull();
  }

  @Test
  void twoSigningsAtOnceWriteExactlyOnePlan() throws Exception {
    String patient = copyOf("crps-suitable");
    OpenedPatient opened = open(patient);
    AssessedPatient assessed = assess(opened, PlanRequest.defaults());
    AssessedPatient other = assess(opened, new PlanRequest(null, null, 6));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      Future<WriteResult> a = pool.submit(() -> {
        go.await();
        return workspace().sign(opened, assessed, signing(null));
      });
      Future<WriteResult> b = pool.submit(() -> {
        go.await();
        return workspace().sign(opened, other, signing(null));
      });
      go.countDown();
      List<WriteResult> results = List.of(a.get(), b.get());
      assertThat(results).filteredOn(WriteResult::succeeded).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(activePlans(patient)).hasSize(1);
  }

  @Test
  void aRevisionReplacesTheSignedPlanInOneTransactionAndRevokesTheOldOne() {
    String patient = copyOf("crps-suitable");
    OpenedPatient opened = open(patient);
    assertThat(workspace().sign(opened, assess(opened, PlanRequest.defaults()), signing(null)).succeeded()).isTrue();

    OpenedPatient relaunched = open(patient);
    ExistingPlan signedPlan = relaunched.chart().currentPlan().orElseThrow();
    WriteResult revised = workspace().sign(relaunched, assess(relaunched, new PlanRequest(null, null, 8)),
        signing(signedPlan));
    assertThat(revised.succeeded()).as(revised.failure()).isTrue();
    // each plan names the signed assessment it rests on, and both are read back (a course follows its own)
    OpenedPatient after = open(patient);
    assertThat(after.chart().currentPlan().orElseThrow().assessment()).isEqualTo(after.chart().signed().id());
    assertThat(signedPlan.assessment()).startsWith("RiskAssessment/").isNotEqualTo(after.chart().signed().id());
    assertThat(after.chart().signedAssessments()).extracting(
        org.ketamineadvisor.advisor.fhir.chart.SignedAssessment::id)
        .containsExactlyInAnyOrder(signedPlan.assessment(), after.chart().signed().id());

    List<CarePlan> plans = search(CarePlan.class, patient);
    assertThat(plans).hasSize(2);
    CarePlan old = plans.stream().filter(p -> ("CarePlan/" + p.getIdElement().getIdPart()).equals(signedPlan.id()))
        .findFirst().orElseThrow();
    CarePlan replacement = plans.stream().filter(p -> p != old).findFirst().orElseThrow();
    assertThat(old.getStatus()).isEqualTo(CarePlan.CarePlanStatus.REVOKED);
    assertThat(replacement.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
    assertThat(replacement.getReplaces()).extracting(Reference::getReference).containsExactly(signedPlan.id());
    assertThat(replacement.getActivityFirstRep().getDetail().getScheduledTiming().getRepeat().getCount()).isEqualTo(8);
    List<Provenance> provenances = search(Provenance.class, null);
    assertThat(provenances).anySatisfy(p -> {
      assertThat(p.getTarget()).extracting(Reference::getReference).contains(signedPlan.id());
      assertThat(p.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE");
    });
    for (Resource r : List.of(old, replacement)) {
      assertThat(SharedValidator.get().errors(r)).as(r.getIdElement().getValue()).isEmpty();
    }
    assertThat(activePlans(patient)).hasSize(1);
  }

  @Test
  void aRevisionOfAPlanChangedMeanwhileIsRefusedAndWritesNothing() {
    String patient = copyOf("crps-suitable");
    OpenedPatient opened = open(patient);
    assertThat(workspace().sign(opened, assess(opened, PlanRequest.defaults()), signing(null)).succeeded()).isTrue();
    OpenedPatient tabA = open(patient);
    OpenedPatient tabB = open(patient);
    ExistingPlan seen = tabA.chart().currentPlan().orElseThrow();
    assertThat(workspace().sign(tabA, assess(tabA, new PlanRequest(null, null, 8)), signing(seen)).succeeded())
        .isTrue();
    int resourcesBefore = search(RiskAssessment.class, patient).size();

    WriteResult stale = workspace().sign(tabB, assess(tabB, new PlanRequest(null, null, 6)), signing(seen));
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.failure()).contains("another ketamine infusion plan is in force");
    assertThat(search(RiskAssessment.class, patient)).hasSize(resourcesBefore);
    assertThat(activePlans(patient)).hasSize(1);
  }

  @Test
  void theServerItselfRefusesARevisionWhoseIfMatchIsStaleSoTheTransactionWritesNothing() {
    String patient = copyOf("crps-suitable");
    OpenedPatient opened = open(patient);
    assertThat(workspace().sign(opened, assess(opened, PlanRequest.defaults()), signing(null)).succeeded()).isTrue();
    ExistingPlan plan = open(patient).chart().currentPlan().orElseThrow();
    CarePlan current = client().read().resource(CarePlan.class).withId(plan.id()).execute();
    CarePlan stale = current.copy();
    stale.setId(current.getIdElement().withVersion("0")); // a version the server never had
    Bundle bundle = new WriteBackBundleBuilder().build(assess(opened, new PlanRequest(null, null, 4)).assessment(),
        assess(opened, new PlanRequest(null, null, 4)).plan(),
        new WriteBackContext("Practitioner/dr-ada", Instant.now(), true, "test"), new WriteBackBundleBuilder.Revision(
            stale));
    int before = search(CarePlan.class, patient).size();
    try (FhirServerWriter writer = new FhirServerWriter(FHIR, base(), FhirClientSettings.defaults())) {
      WriteResult result = writer.write(bundle);
      assertThat(result.succeeded()).isFalse();
    }
    assertThat(search(CarePlan.class, patient)).hasSize(before);
    assertThat(activePlans(patient)).hasSize(1);
  }

  @Test
  void enteredValuesAreWrittenAsObservationsThatTheAssessmentRestsOn() {
    String patient = copyOf("needs-information");
    OpenedPatient opened = open(patient);
    Instant measured = AS_OF.atTime(8, 30).toInstant(ZoneOffset.UTC);
    List<EnteredValue> entered = List.of(
        new EnteredValue(new EnteredValue.BloodPressure(150, 92), measured, "Practitioner/dr-ada", "Dr Ada", measured),
        new EnteredValue(new EnteredValue.Weight(new java.math.BigDecimal("70"), "kg"), measured, "Practitioner/dr-ada",
            "Dr Ada", measured));
    AssessedPatient assessed = workspace().assess(opened, List.of(new org.ketamineadvisor.advisor.assessment.Attestation(
        org.ketamineadvisor.advisor.assessment.RuleId.IND_PRIOR_THERAPY,
        org.ketamineadvisor.advisor.assessment.Outcome.MET, "Practitioner/dr-ada", "pregabalin at the GP", measured)),
        entered, PlanRequest.defaults());
    assertThat(assessed.assessment().unknowns()).isEmpty();
    assertThat(assessed.assessment().verdict()).isEqualTo(Verdict.SUITABLE_WITH_PRECAUTIONS);

    WriteResult written = workspace().sign(opened, assessed, signing(null));
    assertThat(written.succeeded()).as(written.failure()).isTrue();
    List<Observation> observations = client().search().forResource(Observation.class)
        .where(Observation.PATIENT.hasId(patient))
        .and(Observation.IDENTIFIER.hasSystemWithAnyCode(Canonicals.ENTERED_OBSERVATION_IDENTIFIER))
        .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (Observation) e.getResource()).toList();
    assertThat(observations).hasSize(2).allSatisfy(o -> {
      assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
      assertThat(o.getPerformerFirstRep().getReference()).isEqualTo("Practitioner/dr-ada");
      assertThat(SharedValidator.get().errors(o)).as(o.getCode().getCodingFirstRep().getCode()).isEmpty();
    });
    RiskAssessment ra = search(RiskAssessment.class, patient).get(0);
    List<String> basis = ra.getBasis().stream().map(Reference::getReference).toList();
    Observation bp = observations.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("85354-9"))
        .findFirst().orElseThrow();
    assertThat(basis).as("the entered 150/92 is what PR-HYPERTENSION rests on")
        .contains("Observation/" + bp.getIdElement().getIdPart());
    List<String> provenanceTargets = search(Provenance.class, null).stream()
        .filter(p -> p.getTarget().stream().anyMatch(t -> t.getReference().equals("RiskAssessment/"
            + ra.getIdElement().getIdPart())))
        .flatMap(p -> p.getTarget().stream()).map(Reference::getReference).toList();
    for (Observation o : observations) {
      assertThat(provenanceTargets).contains("Observation/" + o.getIdElement().getIdPart());
    }
    assertThat(ra.getNote()).extracting(n -> n.getText()).anyMatch(t -> t.startsWith("DATA-BP settled by a value"))
        .anyMatch(t -> t.startsWith("IND-PRIOR-THERAPY stated by the clinician"));
    assertThat(SharedValidator.get().errors(ra)).isEmpty();
  }

  @Test
  void aContraindicatedPatientsDecisionNotToTreatIsSignedAsTheAssessmentAlone() {
    String patient = copyOf("psychosis-contraindicated");
    OpenedPatient opened = open(patient);
    AssessedPatient assessed = assess(opened, PlanRequest.defaults());
    assertThat(assessed.assessment().verdict()).isEqualTo(Verdict.CONTRAINDICATED);
    assertThat(assessed.plan()).isEmpty();

    WriteResult written = workspace().sign(opened, assessed, signing(null));
    assertThat(written.succeeded()).as(written.failure()).isTrue();
    assertThat(written.written()).extracting(WriteResult.Written::resourceType)
        .containsExactlyInAnyOrder("RiskAssessment", "Provenance");
    assertThat(search(CarePlan.class, patient)).isEmpty();
    assertThat(open(patient).chart().signed().verdict()).isEqualTo("contraindicated");
  }

  @Test
  void withoutPermissionToSearchCarePlansSigningNeedsTheClinicianToConfirmNoPlanIsActive() {
    String patient = copyOf("crps-suitable");
    OpenedPatient opened = open(patient);
    ChartAccess blind = new ChartAccess(false, false);
    Signing unconfirmed = new Signing("Practitioner/dr-ada", "Dr Ada Lovelace", Instant.now(), "test", "token", blind, null, false);
    WriteResult refused = workspace().sign(opened, assess(opened, PlanRequest.defaults()), unconfirmed);
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.failure()).contains("confirm that no ketamine infusion plan is active");
    assertThat(search(CarePlan.class, patient)).isEmpty();

    Signing confirmed = new Signing("Practitioner/dr-ada", "Dr Ada Lovelace", Instant.now(), "test", "token", blind, null, true);
    assertThat(workspace().sign(opened, assess(opened, PlanRequest.defaults()), confirmed).succeeded()).isTrue();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static String copyOf(String showcase) {
    return ShowcaseCopies.load(showcase, base());
  }

  private static AssessedPatient assess(OpenedPatient opened, PlanRequest request) {
    return workspace().assess(opened, List.of(), List.of(), request);
  }

  private static List<CarePlan> activePlans(String patient) {
    return search(CarePlan.class, patient).stream().filter(p -> p.getStatus() == CarePlan.CarePlanStatus.ACTIVE)
        .toList();
  }

}
