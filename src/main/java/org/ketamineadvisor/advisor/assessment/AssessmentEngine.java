package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * Applies the clinical rule set (CLINICAL-RULES § 1.1–4, § 7) to one patient record at an as-of
 * date: every rule evaluated, clinician attestations applied, verdict and risks derived. Stateless
 * and thread-safe once constructed.
 */
public final class AssessmentEngine {

  private static final List<RuleFamily> RULE_FAMILIES = List.of(new IndicationRules(), new CardiovascularRules(),
      new PregnancyRule(), new HepaticRules(), new PsychiatricRules(), new PressureRules(), new DrugRules(),
      new DosingDataRules());

  private final Terminology terminology;
  private final UnitConverter units;
  private final RuleSettings settings;

  public AssessmentEngine(Terminology terminology, UnitConverter units, RuleSettings settings) {
    this.terminology = Objects.requireNonNull(terminology, "the engine needs a terminology");
    this.units = Objects.requireNonNull(units, "the engine needs a unit converter");
    this.settings = Objects.requireNonNull(settings, "the engine needs rule settings (RuleSettings.defaults())");
  }

  public Assessment assess(PatientRecord record, LocalDate asOf) {
    return assess(record, asOf, List.of());
  }

  /**
   * As {@link #assess(PatientRecord, LocalDate)}, with attestations that settle unknown rules.
   *
   * @throws IllegalArgumentException when an attestation names a rule the record already decides,
   *     or two attestations name the same rule
   */
  public Assessment assess(PatientRecord record, LocalDate asOf, List<Attestation> attestations) {
    return assess(record, asOf, attestations, List.of());
  }

  /**
   * As {@link #assess(PatientRecord, LocalDate, List)}, with values a clinician entered to settle data rules
   * (CLINICAL-RULES § 2.4 "by value"): each is a reading like any recorded one, so every rule reads it.
   *
   * @throws IllegalArgumentException when an attestation names a data rule (those are settled by a value), a rule
   *     the record already decides, or two attestations name the same rule
   */
  public Assessment assess(PatientRecord record, LocalDate asOf, List<Attestation> attestations,
      List<EnteredValue> enteredValues) {
    Objects.requireNonNull(record, "no patient record to assess");
    Objects.requireNonNull(asOf, "an assessment needs an as-of date");
    List<EnteredValue> entered = enteredValues == null ? List.of() : List.copyOf(enteredValues);
    if (!entered.isEmpty()) {
      List<ObservationRecord> observations = new ArrayList<>(record.observations());
      entered.forEach(v -> observations.addAll(v.observations()));
      record = new PatientRecord(record.patient(), record.conditions(), record.medications(), observations,
          record.allergies(), record.readProblems());
    }
    ClinicalFacts facts = new ClinicalFacts(record, asOf, settings, terminology, units);
    FindingSheet sheet = new FindingSheet();
    for (RuleFamily family : RULE_FAMILIES) {
      family.evaluate(facts, sheet);
    }
    UnreadRecords.apply(record.readProblems(), sheet);
    applyAttestations(sheet, attestations == null ? List.of() : attestations);

    List<Finding> findings = sheet.inRuleOrder();
    List<PresentCondition> indications = facts.activeConditions(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS);
    List<String> problems = new ArrayList<>(facts.dataProblems());
    record.readProblems().forEach(p -> problems.add("could not read " + p.resourceType() + ": " + p.reason()));
    return new Assessment(record.patient(), asOf, VerdictDecision.decide(findings), findings,
        RiskGrading.grade(findings), IndicationRules.bestGroup(indications),
        indications.stream().map(PresentCondition::reference).distinct().toList(), facts.weight().weight(),
        problems, entered, DosingDataRules.latestPainScore(facts));
  }

  private static void applyAttestations(FindingSheet sheet, List<Attestation> attestations) {
    Set<RuleId> attested = EnumSet.noneOf(RuleId.class);
    for (Attestation attestation : attestations) {
      RuleId rule = attestation.rule();
      if (!attested.add(rule)) {
        throw new IllegalArgumentException("two attestations for " + rule.id() + "; give one per rule");
      }
      if (rule.category() == RuleId.Category.DATA) {
        throw new IllegalArgumentException("cannot attest " + rule.id() + " without a value: a data rule is settled "
            + "by entering the value measured, with its date (CLINICAL-RULES § 2.4)");
      }
      Finding finding = sheet.get(rule);
      if (finding.outcome() != Outcome.UNKNOWN) {
        throw new IllegalArgumentException("cannot attest " + rule.id() + ": the record already decides it ("
            + finding.outcome().code() + ": " + finding.detail() + "); only unknown rules can be attested");
      }
      Outcome outcome = attestation.outcome();
      String detail = "stated by " + attestation.author() + ": " + attestation.statement() + " (" + attestation.reason()
          + "); the record alone: " + finding.detail();
      sheet.replace(new Finding(rule, outcome, finding.evidence(), detail, finding.evidenceDate(), attestation));
    }
  }
}
