package org.ketamineadvisor.advisor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.careplan.ProtocolId;

/** The clinician page's wording and validation, without a browser (as of 2026-06-01). */
class PatientPageViewsTest {

  private static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

  @Test
  void aFindingShowsItsSourceDateAndAgeAndMarksStaleBloodPressure() {
    FindingView recent = FindingView.of(Finding.of(RuleId.PR_HYPERTENSION, Outcome.MET,
        List.of("Observation/bp1"), "BP 152/94 mmHg on 2026-05-20", LocalDate.of(2026, 5, 20)), AS_OF);
    assertThat(recent.dated()).isEqualTo("on 2026-05-20, 12 days ago");
    assertThat(recent.stale()).isFalse();
    assertThat(recent.mitigation()).isEqualTo(RuleId.PR_HYPERTENSION.mitigation());

    FindingView old = FindingView.of(Finding.of(RuleId.DATA_BP, Outcome.UNKNOWN, List.of("Observation/bp0"),
        "BP 138/88 mmHg on 2025-11-03", LocalDate.of(2025, 11, 3)), AS_OF);
    assertThat(old.stale()).isTrue();
    assertThat(old.staleNote()).contains("30 days");
    assertThat(old.mitigation()).isNull();
    assertThat(old.attestChoices()).as("a data rule is settled by a value, never by a statement").isEmpty();
    assertThat(old.entryKind()).isEqualTo("bp");
  }

  @Test
  void aHighCardiovascularRiskKeepsTheCapitalsOfItsRuleTitles() {
    var a = org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment()
        .verdict(org.ketamineadvisor.advisor.assessment.Verdict.CONTRAINDICATED)
        .met(RuleId.CI_UNCONTROLLED_HTN, "Observation/bp1").met(RuleId.CI_CARDIOVASCULAR, "Condition/mi1")
        .risk(org.ketamineadvisor.advisor.assessment.Risk.CARDIOVASCULAR,
            org.ketamineadvisor.advisor.assessment.Risk.Level.HIGH).build();
    assertThat(DecisionSummary.riskAlerts(a)).singleElement().asString()
        .contains("High cardiovascular risk: uncontrolled hypertension (latest BP > 180/100 mmHg) and heart failure, "
            + "unstable angina, or MI/stroke within 180 days")
        .doesNotContain("bp >").doesNotContain("mmhg").doesNotContain("mi/stroke");
    assertThat(DecisionSummary.lowerFirst("CNS depressant")).isEqualTo("CNS depressant");
    assertThat(DecisionSummary.lowerFirst("Current opioid")).isEqualTo("current opioid");
  }

  @Test
  void anIndicationNotMetReadsAsWhatIsTheCaseNeverAsTheCriterion() {
    Finding minor = Finding.of(RuleId.IND_ADULT, Outcome.NOT_MET, List.of("Patient/minor"),
        "age 16 on 2026-06-01 (born 2010-01-20); under 18", null);
    Finding died = Finding.of(RuleId.IND_LIVING, Outcome.NOT_MET, List.of("Patient/deceased"),
        "deceased on 2026-02-14", LocalDate.of(2026, 2, 14));
    assertThat(DecisionSummary.notMet(minor)).isEqualTo("Not an adult — age 16 (18 or older required), born 2010-01-20")
        .doesNotContain("Adult (18 years or older)");
    assertThat(DecisionSummary.notMet(died)).isEqualTo("Patient is deceased — date of death 2026-02-14")
        .doesNotContain("living");
    var a = org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment()
        .verdict(org.ketamineadvisor.advisor.assessment.Verdict.NOT_INDICATED).finding(minor).build();
    assertThat(DecisionSummary.reasons(a).shown()).containsExactly(
        "Not an adult — age 16 (18 or older required), born 2010-01-20");

    FindingView view = FindingView.of(died, AS_OF);
    assertThat(view.title()).isEqualTo("Patient is deceased");
    assertThat(view.outcome()).isEqualTo("Criterion not met");
    FindingView adult = FindingView.of(Finding.of(RuleId.IND_ADULT, Outcome.MET, List.of("Patient/p1"),
        "age 48 on 2026-06-01 (born 1978-03-02)", null), AS_OF);
    assertThat(adult.title()).isEqualTo("Adult (18 years or older)");
    assertThat(adult.outcome()).isEqualTo("Met");
  }

  @Test
  void noneFoundNeverStandsAloneWhenARuleCouldNotBeChecked() {
    var a = org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment()
        .verdict(org.ketamineadvisor.advisor.assessment.Verdict.NEEDS_INFORMATION)
        .finding(Finding.of(RuleId.CI_UNCONTROLLED_HTN, Outcome.NOT_MET, List.of(),
            "no blood pressure within 30 days", null))
        .unknown(RuleId.DATA_BP).build();
    var checklist = DecisionSummary.checklist(a);
    assertThat(DecisionSummary.noneFound(checklist, "contraindications", "Contraindications")).isEqualTo(
        "None found; 1 could not be checked: uncontrolled hypertension (latest BP > 180/100 mmHg) — no blood "
            + "pressure within 30 days.");
    assertThat(DecisionSummary.noneFound(checklist, "precautions and interactions", "Precautions", "Interactions"))
        .isEqualTo("None found among the precautions and interactions screened.");

    var suitable = org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment()
        .finding(Finding.of(RuleId.PR_TACHYCARDIA, Outcome.NOT_MET, List.of(), "no heart rate within 30 days", null))
        .build();
    assertThat(DecisionSummary.reasons(suitable).shown()).last().asString()
        .startsWith("No contraindication, precaution or interaction among the 22 screened")
        .endsWith("(1 could not be checked: heart rate above 100 /min — no heart rate within 30 days)");
  }

  @Test
  void theRevisionComparesThePlanInForceWithTheRevisedOne() {
    var inForce = new org.ketamineadvisor.advisor.fhir.chart.ExistingPlan("CarePlan/7", "1", "active",
        "Ketamine infusion course (P-CRPS)", "desc", AS_OF.minusDays(3), LocalDate.of(2026, 6, 2),
        LocalDate.of(2026, 6, 15), "Dr Ada", null,
        List.of(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3), LocalDate.of(2026, 6, 15)), List.of(),
        new org.ketamineadvisor.advisor.fhir.chart.ExistingPlan.Dosing(100, 240, new BigDecimal("90.0")), "Goal/1", null, List.of());
    var order = new PatientPage.OrderView("1 mg/mL", 100, "100.0", "25", "25.0", "4 h", 200, List.of(), "none",
        "none", List.of());
    var revised = new PatientPage.PlanView("P-CRPS", "CRPS protocol", "CRPS protocol", "ASRA", "0.35 mg/kg/h", 2,
        100, 240, List.of(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 3)), List.of(), List.of(), false, order,
        List.of(), List.of());
    List<RevisionRow> rows = RevisionRow.revision(inForce, revised, null);
    assertThat(rows).extracting(RevisionRow::label)
        .containsExactly("Protocol", "Each session", "Sessions", "Dates");
    assertThat(rows).filteredOn(RevisionRow::changed).extracting(RevisionRow::label)
        .containsExactly("Sessions", "Dates");
    assertThat(rows.get(2)).extracting(RevisionRow::inForce, RevisionRow::revised)
        .containsExactly("3", "2");
    assertThat(rows.get(3).revised()).isEqualTo("Tue 2026-06-02 to Wed 2026-06-03");
    assertThat(rows.get(1).inForce()).isEqualTo("100 mg over 4 h").isEqualTo(rows.get(1).revised());

    assertThat(RevisionRow.revision(inForce, null, "No course is proposed: a contraindication is present."))
        .allMatch(RevisionRow::changed).first().extracting(RevisionRow::revised)
        .isEqualTo("no course (No course is proposed: a contraindication is present.)");
  }

  @Test
  void theBannerShowsTheIdentifierWithoutItsSystem() {
    var banner = new org.ketamineadvisor.advisor.fhir.mapping.PatientBanner("Walter Price", LocalDate.of(1950, 1, 30),
        new org.ketamineadvisor.advisor.fhir.mapping.PatientBanner.Identifier(null, "KA-DECEASED",
            "https://ketamine-advisor.org/fhir/sandbox-mrn"), "Patient/deceased");
    assertThat(banner.identifierWithoutSystem()).isEqualTo("KA-DECEASED");
    assertThat(banner.identifier()).hasToString("KA-DECEASED (https://ketamine-advisor.org/fhir/sandbox-mrn)");
    assertThat(new org.ketamineadvisor.advisor.fhir.mapping.PatientBanner("A", null,
        new org.ketamineadvisor.advisor.fhir.mapping.PatientBanner.Identifier("MRN", "12", null), "Patient/a")
        .identifierWithoutSystem()).isEqualTo("MRN 12");
  }

  @Test
  void priorTherapyCanBeAttestedEitherWay() {
    assertThat(FindingView.choices(RuleId.IND_PRIOR_THERAPY)).extracting(FindingView.AttestChoice::outcome)
        .containsExactly("met", "not-met");
  }

  @Test
  void thePlanFormRefusesOutOfBoundsChoicesWithClearMessages() {
    PlanForm bad = PlanForm.parse("P-NOPE", "2026-05-01", "50", AS_OF);
    assertThat(bad.request()).isNull();
    assertThat(bad.problems()).containsExactly("Choose one of the protocols offered.",
        "The first session cannot be before the assessment date 2026-06-01: choose 2026-06-01 or later.",
        "The number of sessions must be between 1 and 20.");
    assertThat(PlanForm.parse(null, "tomorrow", "x", AS_OF).problems())
        .anyMatch(m -> m.contains("YYYY-MM-DD")).anyMatch(m -> m.contains("whole number"));

    PlanForm good = PlanForm.parse("P-STANDARD", "2026-06-10", "3", AS_OF);
    assertThat(good.problems()).isEmpty();
    assertThat(good.request().protocol()).isEqualTo(ProtocolId.P_STANDARD);
    assertThat(good.request().sessions()).isEqualTo(3);
  }

  @Test
  void theChartIsAnAccessibleImageWithItsThresholdsAndEscapedText() {
    String svg = new SvgLineChart("c", "BP <mmHg>", "two readings", "mmHg", 40, 200)
        .series(new SvgLineChart.Series("Systolic", "#b00020", false, "circle", List.of(
            new SvgLineChart.Value(LocalDate.of(2026, 1, 1), new BigDecimal("150")),
            new SvgLineChart.Value(LocalDate.of(2026, 5, 1), new BigDecimal("190")))))
        .threshold(new SvgLineChart.Threshold(180, "180 uncontrolled", "#8a0015"))
        .render();
    assertThat(svg).startsWith("<svg").contains("role=\"img\"").contains("<title id=\"c-title\">BP &lt;mmHg&gt;</title>")
        .contains("180 uncontrolled").contains("<polyline").contains("2026-01-01").contains("2026-05-01")
        .contains(">mmHg</text>").contains(">190</text>");
  }

  @Test
  void closeThresholdLabelsArePushedApartAndStaleReadingsAreHollow() {
    String svg = new SvgLineChart("c", "BP", "readings", "mmHg", 40, 200)
        .series(new SvgLineChart.Series("Systolic", "#b00020", false, "circle", List.of(
            new SvgLineChart.Value(LocalDate.of(2026, 1, 1), new BigDecimal("150")),
            new SvgLineChart.Value(LocalDate.of(2026, 5, 20), new BigDecimal("130")))))
        .threshold(new SvgLineChart.Threshold(100, "100 diastolic", "#8a0015"))
        .threshold(new SvgLineChart.Threshold(90, "90 diastolic", "#8a5a00"))
        .staleBefore(LocalDate.of(2026, 5, 2), "older than 30 days")
        .render();
    java.util.regex.Matcher labels = java.util.regex.Pattern.compile(
        "<text x=\"[0-9.]+\" y=\"([0-9.]+)\"[^>]*>(100|90) diastolic</text>").matcher(svg);
    List<Double> ys = new java.util.ArrayList<>();
    while (labels.find()) {
      ys.add(Double.valueOf(labels.group(1)));
    }
    assertThat(ys).hasSize(2);
    assertThat(Math.abs(ys.get(0) - ys.get(1))).as("label spacing (px)").isGreaterThanOrEqualTo(13);
    assertThat(svg).contains("older than 30 days").contains("fill=\"#ffffff\" stroke=\"#b00020\"");
  }

  @Test
  void aSingleReadingSitsOverItsDateOnASensibleAxis() {
    String svg = new SvgLineChart("c", "Weight", "one value", "kg", 40, 120)
        .series(new SvgLineChart.Series("Weight", "#1f4e9c", false, "circle", List.of(
            new SvgLineChart.Value(LocalDate.of(2026, 5, 20), new BigDecimal("72")))))
        .render();
    assertThat(svg).contains("text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">2026-05-20</text>")
        .contains(">120</text>").contains(">40</text>").contains(">72</text>");
  }

  @Test
  void agesReadNaturally() {
    assertThat(EvidenceAge.of(AS_OF, AS_OF)).isEqualTo("today");
    assertThat(EvidenceAge.of(AS_OF.minusDays(1), AS_OF)).isEqualTo("1 day ago");
    assertThat(EvidenceAge.of(LocalDate.of(2025, 11, 3), AS_OF)).isEqualTo("6 months ago");
    assertThat(EvidenceAge.of(LocalDate.of(2020, 1, 1), AS_OF)).isEqualTo("6 years ago");
  }

  @Test
  void aReadingDatedAfterTheAsOfDateIsNotCharted() {
    var terminology = org.ketamineadvisor.advisor.terminology.ValueSetTerminology.loadDefault();
    var units = new org.ketamineadvisor.advisor.terminology.UcumUnitConverter();
    List<org.ketamineadvisor.advisor.assessment.ObservationRecord> heartRates = List.of(
        heartRate("Observation/hr-before", LocalDate.of(2026, 5, 20), 76),
        heartRate("Observation/hr-after", LocalDate.of(2026, 9, 1), 130));
    VitalSignsSeries series = VitalSignsSeries.from(heartRates, AS_OF, terminology, units);
    assertThat(series.heartRate()).hasSize(1);
    assertThat(series.heartRate().get(0).date()).isEqualTo(LocalDate.of(2026, 5, 20));
  }

  private static org.ketamineadvisor.advisor.assessment.ObservationRecord heartRate(String ref, LocalDate day, int bpm) {
    var code = org.ketamineadvisor.advisor.terminology.Concept.of(
        new org.ketamineadvisor.advisor.terminology.Code("http://loinc.org", "8867-4", "Heart rate"));
    var value = new org.ketamineadvisor.advisor.assessment.ObservationRecord.QuantityValue(
        new org.ketamineadvisor.advisor.terminology.Quantity(java.math.BigDecimal.valueOf(bpm), "/min",
            org.ketamineadvisor.advisor.terminology.Quantity.UCUM, "/min"));
    return new org.ketamineadvisor.advisor.assessment.ObservationRecord(ref, "final", code,
        new org.ketamineadvisor.advisor.assessment.ObservationRecord.Effective(day,
            day.atTime(9, 0).toInstant(java.time.ZoneOffset.UTC)), value, List.of(), null);
  }
}
