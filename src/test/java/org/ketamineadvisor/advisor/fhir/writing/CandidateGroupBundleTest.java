package org.ketamineadvisor.advisor.fhir.writing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The {@code screen --write-group} transaction: a worklist Group, a MeasureReport of the counts, a Provenance. */
class CandidateGroupBundleTest {

  private static final ScreeningSummary SUMMARY = new ScreeningSummary(LocalDate.parse("2026-06-01"),
      List.of("crps-suitable", "Patient/sci-precautions", "needs-information"),
      Map.of("suitable", 1L, "suitable-with-precautions", 1L, "needs-information", 1L, "not-indicated", 40L,
          "contraindicated", 5L),
      48, "1.2.0", Instant.parse("2026-06-01T09:30:00Z"));

  @Test
  void oneTransactionOfConditionalCreates_GroupMeasureReportProvenance() {
    Bundle bundle = CandidateGroupBundle.build(SUMMARY);

    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactly("Group", "MeasureReport", "Provenance");
    assertThat(bundle.getEntry()).allSatisfy(entry -> {
      assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
      assertThat(entry.getRequest().getIfNoneExist()).isNotBlank();
      assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
    });
    Provenance provenance = (Provenance) bundle.getEntry().get(2).getResource();
    assertThat(provenance.getTarget()).extracting(Reference::getReference)
        .containsExactly(bundle.getEntry().get(0).getFullUrl(), bundle.getEntry().get(1).getFullUrl());
    assertThat(provenance.getAgentFirstRep().getWho().getDisplay())
        .isEqualTo("Ketamine Infusion Advisor 1.2.0, rule set v" + Canonicals.RULE_SET_VERSION);
  }

  @Test
  void theGroupIsTheWorklistsPatientsNamedForTheDayWithTheRuleSet() {
    Group group = (Group) CandidateGroupBundle.build(SUMMARY).getEntry().get(0).getResource();

    assertThat(group.getType()).isEqualTo(Group.GroupType.PERSON);
    assertThat(group.getActual()).isTrue();
    assertThat(group.getName()).isEqualTo("Ketamine infusion candidates 2026-06-01");
    assertThat(group.getIdentifierFirstRep().getSystem()).isEqualTo(Canonicals.CANDIDATE_GROUP_IDENTIFIER);
    assertThat(group.getQuantity()).isEqualTo(3);
    assertThat(group.getMember()).extracting(m -> m.getEntity().getReference())
        .containsExactly("Patient/crps-suitable", "Patient/sci-precautions", "Patient/needs-information");
    Group.GroupCharacteristicComponent criterion = group.getCharacteristicFirstRep();
    assertThat(criterion.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-06-01");
    assertThat(criterion.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-01");
    assertThat(criterion.getValueCodeableConcept().getCodingFirstRep().getCode())
        .isEqualTo("ketamine-rules-v" + Canonicals.RULE_SET_VERSION);
  }

  @Test
  void theMeasureReportCountsThePatientsScreenedAndEachVerdictInTheAppsCodeSystem() {
    MeasureReport report = (MeasureReport) CandidateGroupBundle.build(SUMMARY).getEntry().get(1).getResource();

    assertThat(report.getStatus()).isEqualTo(MeasureReport.MeasureReportStatus.COMPLETE);
    assertThat(report.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
    assertThat(report.getMeasure()).isEqualTo(Canonicals.SCREENING_MEASURE);
    assertThat(report.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-06-01");
    assertThat(report.getDateElement().getValueAsString()).isEqualTo("2026-06-01T09:30:00+00:00");
    var populations = report.getGroupFirstRep().getPopulation();
    assertThat(populations).extracting(p -> p.getCode().getCodingFirstRep().getCode() + "=" + p.getCount())
        .containsExactly("initial-population=48", "contraindicated=5", "not-indicated=40", "needs-information=1",
            "suitable-with-precautions=1", "suitable=1");
    assertThat(populations.subList(1, populations.size()))
        .allSatisfy(p -> assertThat(p.getCode().getCodingFirstRep().getSystem()).isEqualTo(Canonicals.VERDICT_SYSTEM));
  }

  @Test
  void theGroupAndTheMeasureReportAreValidR4() {
    Bundle bundle = CandidateGroupBundle.build(SUMMARY);

    for (int i = 0; i < 3; i++) {
      List<SingleValidationMessage> errors = SharedValidator.get().errors(bundle.getEntry().get(i).getResource());
      assertThat(errors).as(bundle.getEntry().get(i).getResource().fhirType()).isEmpty();
    }
  }

  @Test
  void theSameResultsGiveTheSameIdentifiersAndADifferentResultNewOnes() {
    Bundle once = CandidateGroupBundle.build(SUMMARY);
    Bundle again = CandidateGroupBundle.build(SUMMARY);
    Bundle otherDay = CandidateGroupBundle.build(new ScreeningSummary(LocalDate.parse("2026-06-02"),
        SUMMARY.candidateIds(), SUMMARY.countsByVerdict(), SUMMARY.patientsScreened(), "1.2.0", SUMMARY.writtenAt()));

    assertThat(again.getEntry().get(0).getRequest().getIfNoneExist())
        .isEqualTo(once.getEntry().get(0).getRequest().getIfNoneExist());
    assertThat(otherDay.getEntry().get(0).getRequest().getIfNoneExist())
        .isNotEqualTo(once.getEntry().get(0).getRequest().getIfNoneExist());
  }

  @Test
  void impossibleSummariesAreRefusedSayingWhat() {
    assertThatThrownBy(() -> new ScreeningSummary(LocalDate.parse("2026-06-01"), List.of("a b"), Map.of(), 0, "v",
        Instant.EPOCH)).hasMessageContaining("candidate 1").hasMessageContaining("'a b'");
    assertThatThrownBy(() -> new ScreeningSummary(LocalDate.parse("2026-06-01"), List.of(), Map.of("maybe", 1L), 1,
        "v", Instant.EPOCH)).hasMessageContaining("unknown verdict 'maybe'");
    assertThatThrownBy(() -> new ScreeningSummary(LocalDate.parse("2026-06-01"), List.of(), Map.of("suitable", 3L),
        2, "v", Instant.EPOCH)).hasMessageContaining("2 patients screened, but the verdicts count 3");
  }
}
