package org.ketamineadvisor.advisor.fhir.writing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.PlanRequest;

class WriteBackBundleBuilderTest {
  private static final Instant AT = Instant.parse("2026-06-01T14:30:00Z");
  private static final WriteBackContext SIGNED = new WriteBackContext("Practitioner/dr-1", AT, true, "0.1.0");
  private static final WriteBackContext UNSIGNED = new WriteBackContext(null, AT, false, "0.1.0");
  private final WriteBackBundleBuilder builder = new WriteBackBundleBuilder();

  private Bundle build(Assessment a, WriteBackContext ctx) {
    Optional<InfusionPlan> plan = new InfusionPlanner().propose(a, PlanRequest.defaults());
    return builder.build(a, plan, ctx);
  }

  private static <T> T resource(Bundle b, Class<T> type) {
    return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
  }

  @Test
  void transactionOfConditionalCreatesReferencingEachOtherByUrnUuid() {
    Bundle b = build(anAssessment().build(), SIGNED);
    assertThat(b.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(b.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactly("RiskAssessment", "Goal", "CarePlan", "Provenance");
    assertThat(b.getEntry()).allSatisfy(e -> {
      assertThat(e.getFullUrl()).matches("urn:uuid:[0-9a-f-]{36}");
      assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
    });
    RiskAssessment ra = resource(b, RiskAssessment.class);
    String raValue = ra.getIdentifierFirstRep().getValue();
    assertThat(b.getEntry().get(0).getRequest().getIfNoneExist()).isEqualTo(
        "identifier=https%3A%2F%2Fketamine-advisor.org%2Ffhir%2Fidentifier%2Frisk-assessment%7C" + raValue);
    assertThat(b.getEntry().get(3).getRequest().getIfNoneExist()).isEqualTo(
        "Provenance?target:RiskAssessment.identifier=https%3A%2F%2Fketamine-advisor.org%2Ffhir%2Fidentifier%2Frisk-assessment%7C"
            + raValue);
    CarePlan cp = resource(b, CarePlan.class);
    assertThat(cp.getSupportingInfo()).extracting(Reference::getReference)
        .containsExactly(b.getEntry().get(0).getFullUrl(), "Observation/w1");
    // the Goal (§ 8.3) goes with the signed plan: the plan names it, the Provenance targets all three
    assertThat(cp.getGoalFirstRep().getReference()).isEqualTo(b.getEntry().get(1).getFullUrl());
    assertThat(b.getEntry().get(1).getRequest().getIfNoneExist()).startsWith(
        "identifier=https%3A%2F%2Fketamine-advisor.org%2Ffhir%2Fidentifier%2Fgoal%7C");
    assertThat(resource(b, Provenance.class).getTarget()).extracting(Reference::getReference)
        .containsExactly(b.getEntry().get(0).getFullUrl(), b.getEntry().get(1).getFullUrl(),
            b.getEntry().get(2).getFullUrl());
  }

  /**
   * A course the clinician shortened or lengthened: the CarePlan's text and description say the number of sessions
   * its activity schedules (and the course total of that many), never only the protocol's own number (issue #19:
   * an 8-session revision whose text said "10 sessions"). Unsigned, the text says it is not signed.
   */
  @Test
  void theCarePlansTextSaysTheSessionsItSchedulesAndAnUnsignedOneSaysItIsNotSigned() {
    Assessment a = anAssessment().build();
    InfusionPlan plan = new InfusionPlanner().propose(a, new PlanRequest(null, null, 8)).orElseThrow();
    int protocolsOwn = plan.protocol().defaultSessions();
    assertThat(protocolsOwn).isNotEqualTo(8);
    CarePlan cp = resource(builder.build(a, Optional.of(plan), SIGNED), CarePlan.class);
    var series = cp.getActivityFirstRep().getDetail();
    int count = series.getScheduledTiming().getRepeat().getCount();
    int dose = series.getDailyAmount().getValue().intValueExact();
    assertThat(count).isEqualTo(8);
    assertThat(series.getScheduledTiming().getEvent()).hasSize(count);
    String text = cp.getText().getDivAsString();
    assertThat(text).contains(count + " sessions (one a day on clinic days; the protocol gives " + protocolsOwn + ")")
        .contains(count + " sessions on the clinic's infusion days").contains("Course total: " + dose * count + " mg")
        .contains(series.getScheduledTiming().getEvent().get(count - 1).getValueAsString())
        .doesNotContain(protocolsOwn + " sessions").doesNotContain("DRAFT");
    assertThat(cp.getDescription()).contains(count + " sessions (one a day")
        .contains("Course total: " + dose * count + " mg over " + count + " sessions")
        .doesNotContain(protocolsOwn + " sessions");

    CarePlan unsigned = resource(builder.build(a, Optional.of(plan), UNSIGNED), CarePlan.class);
    assertThat(unsigned.getStatus()).isEqualTo(CarePlan.CarePlanStatus.DRAFT);
    assertThat(unsigned.getText().getDivAsString()).contains("DRAFT (not signed)");
  }

  @Test
  void aRetriedWriteOfTheSameContentHasTheSameIdentifiersAndDifferentContentDoesNot() {
    Bundle first = build(anAssessment().build(), SIGNED);
    Bundle retry = build(anAssessment().build(), new WriteBackContext("Practitioner/dr-1", AT.plusSeconds(5), true, "0.1.0"));
    assertThat(retry.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
        .isEqualTo(first.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
    Bundle otherWeight = build(anAssessment().weight("81.0").build(), SIGNED);
    assertThat(otherWeight.getEntry().get(1).getFullUrl()).isNotEqualTo(first.getEntry().get(1).getFullUrl());
    Bundle otherPatient = build(anAssessment().patient("p2").build(), SIGNED);
    assertThat(otherPatient.getEntry().get(0).getFullUrl()).isNotEqualTo(first.getEntry().get(0).getFullUrl());
  }

  @Test
  void noCarePlanWithoutAPlanAndTheProvenanceTargetsOnlyTheRiskAssessment() {
    Bundle b = build(anAssessment().verdict(Verdict.CONTRAINDICATED).met(RuleId.CI_XANTHINE, "MedicationRequest/theo").build(),
        UNSIGNED);
    assertThat(b.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactly("RiskAssessment", "Provenance");
    Provenance p = resource(b, Provenance.class);
    assertThat(p.getTarget()).hasSize(1);
    assertThat(p.getAgent()).extracting(a -> a.getWho().getDisplay())
        .containsExactly("Ketamine Infusion Advisor 0.1.0, rule set v1.1");
  }

  @Test
  void riskAssessmentCarriesVerdictFindingsBasisPredictionsMitigationAndAttestations() {
    Assessment a = anAssessment().verdict(Verdict.SUITABLE_WITH_PRECAUTIONS)
        .met(RuleId.INT_OPIOID, "MedicationRequest/m1").met(RuleId.INT_BENZODIAZEPINE, "MedicationRequest/m2", "MedicationRequest/m1")
        .attested(RuleId.IND_PRIOR_THERAPY, Outcome.MET, "Dr Ada Lovelace", "duloxetine at another clinic", AT).build();
    RiskAssessment ra = resource(build(a, SIGNED), RiskAssessment.class);
    Extension verdict = ra.getExtensionByUrl(Canonicals.VERDICT_EXTENSION);
    assertThat(((CodeableConcept) verdict.getValue()).getCodingFirstRep().getCode()).isEqualTo("suitable-with-precautions");
    assertThat(ra.getExtensionsByUrl(Canonicals.FINDING_EXTENSION)).extracting(e -> ((Coding) e.getExtensionByUrl("rule")
        .getValue()).getCode()).containsExactly("IND-LIVING", "IND-ADULT", "IND-NEUROPATHIC", "IND-PRIOR-THERAPY",
            "INT-OPIOID", "INT-BENZODIAZEPINE");
    assertThat(ra.getBasis()).extracting(Reference::getReference).containsExactly("Condition/c1",
        "MedicationRequest/m1", "MedicationRequest/m2");
    assertThat(ra.getPrediction()).hasSize(4);
    assertThat(ra.getMitigation()).isEqualTo(RuleId.INT_OPIOID.mitigation());
    assertThat(ra.getNote()).singleElement().satisfies(n -> {
      assertThat(n.getAuthorStringType().getValue()).isEqualTo("Dr Ada Lovelace");
      assertThat(n.getText()).isEqualTo("IND-PRIOR-THERAPY stated by the clinician: a first-line agent (gabapentinoid, "
          + "TCA or SNRI) was tried (duloxetine at another clinic)");
    });
    assertThat(ra.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2026-06-01");
    assertThat(ra.getPerformer().getReference()).isEqualTo("Practitioner/dr-1");
  }

  @Test
  void carePlanIsDraftUntilSignedAndAlwaysDraftForNeedsInformation() {
    assertThat(resource(build(anAssessment().build(), UNSIGNED), CarePlan.class).getStatus())
        .isEqualTo(CarePlan.CarePlanStatus.DRAFT);
    assertThat(resource(build(anAssessment().build(), SIGNED), CarePlan.class).getStatus())
        .isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
    CarePlan draft = resource(build(anAssessment().verdict(Verdict.NEEDS_INFORMATION).unknown(RuleId.DATA_BP).build(),
        SIGNED), CarePlan.class);
    assertThat(draft.getStatus()).isEqualTo(CarePlan.CarePlanStatus.DRAFT);
    assertThat(draft.getNoteFirstRep().getText()).contains("DATA-BP");
  }

  @Test
  void sessionSeriesActivityCarriesProductDoseAndSchedule() {
    CarePlan cp = resource(build(anAssessment().build(), SIGNED), CarePlan.class);
    CarePlan.CarePlanActivityDetailComponent series = cp.getActivityFirstRep().getDetail();
    assertThat(series.getCode().getCodingFirstRep().getCode()).isEqualTo("P-STANDARD");
    assertThat(series.getProductCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("6130");
    assertThat(series.getDailyAmount().getValue()).isEqualByComparingTo("40");
    Timing.TimingRepeatComponent repeat = series.getScheduledTiming().getRepeat();
    assertThat(repeat.getCount()).isEqualTo(5);
    assertThat(repeat.getDuration()).isEqualByComparingTo("40");
    assertThat(repeat.getBoundsPeriod().getStartElement().getValueAsString()).isEqualTo("2026-06-02");
    // sessions on clinic days: Tuesday 2 June to Monday 8 June, the weekend skipped; the dates are the events
    assertThat(repeat.getBoundsPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-08");
    assertThat(series.getScheduledTiming().getEvent()).extracting(e -> e.getValueAsString())
        .containsExactly("2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05", "2026-06-08");
    assertThat(series.getDescription()).contains("40 mg in 40.0 mL over 40 min at 60 mg/h = 60.0 mL/h")
        .contains("course total 200 mg");
    CarePlan.CarePlanActivityDetailComponent bp = cp.getActivity().stream().map(CarePlan.CarePlanActivityComponent::getDetail)
        .filter(d -> d.getCode().getCodingFirstRep().getCode().equals("bp-every-15-min")).findFirst().orElseThrow();
    assertThat(bp.getScheduledTiming().getEvent()).hasSize(5);
    assertThat(bp.getScheduledTiming().getRepeat().getPeriod()).isEqualByComparingTo("15");
    assertThat(cp.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-08-31");
    // the narrative carries the order a nurse runs and the site's settings
    assertThat(cp.getText().getDivAsString()).contains("Each session: 40 mg in 40.0 mL over 40 min at 60 mg/h = 60.0 mL/h")
        .contains("Course total: 200 mg").contains("SpO2 below 92 %").contains("Premedication: none configured by the site")
        .contains("No driving for 24 hours").contains("Monday to Friday; no closures configured");
  }

  @Test
  void aSignedWriteNeedsTheSigningClinician() {
    assertThatThrownBy(() -> new WriteBackContext(null, AT, true, "0.1.0")).hasMessageContaining("fhirUser");
  }

  @Test
  void theValidatorCatchesProfileViolations() {
    Bundle b = build(anAssessment().build(), SIGNED);
    RiskAssessment ra = resource(b, RiskAssessment.class);
    ra.getExtension().removeIf(e -> e.getUrl().equals(Canonicals.VERDICT_EXTENSION));
    ra.getPrediction().remove(3);
    ra.setStatus(RiskAssessment.RiskAssessmentStatus.PRELIMINARY);
    assertThat(SharedValidator.get().errors(ra)).extracting(m -> m.getMessage()).hasSizeGreaterThanOrEqualTo(3)
        .anySatisfy(m -> assertThat(m).contains("prediction"))
        .anySatisfy(m -> assertThat(m).contains("final"));
    CarePlan cp = resource(b, CarePlan.class);
    cp.getCategory().clear();
    cp.setText(null);
    assertThat(SharedValidator.get().errors(cp)).hasSizeGreaterThanOrEqualTo(2);
    cp = resource(build(anAssessment().build(), SIGNED), CarePlan.class);
    cp.getActivity().get(1).getDetail().getCode().getCodingFirstRep().setCode("no-such-activity");
    assertThat(SharedValidator.get().errors(cp)).isNotEmpty();
  }

  @Test
  void theClasspathHoldsTheSameConformanceResourcesAsTheRepository() {
    List<?> fromClasspath = ProfileValidator.fromClasspath(SharedValidator.FHIR).conformanceResources();
    assertThat(fromClasspath).hasSameSizeAs(SharedValidator.get().conformanceResources());
  }
}
