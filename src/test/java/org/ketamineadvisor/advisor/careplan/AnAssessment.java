package org.ketamineadvisor.advisor.careplan;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.BodyWeight;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.IndicationGroup;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.PainScore;
import org.ketamineadvisor.advisor.assessment.PatientFacts;
import org.ketamineadvisor.advisor.assessment.PatientFacts.AdministrativeSex;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * Test data builder for an {@link Assessment}: by default a suitable 46-year-old man with a peripheral
 * indication (Condition/c1), 80.0 kg, every rule not met except the indications, all risks low,
 * assessed on 2026-06-01.
 */
public final class AnAssessment {
  public static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

  private String patientId = "p1";
  private LocalDate asOf = AS_OF;
  private LocalDate birthDate = LocalDate.of(1980, 1, 15);
  private AdministrativeSex sex = AdministrativeSex.MALE;
  private Verdict verdict = Verdict.SUITABLE;
  private IndicationGroup group = IndicationGroup.PERIPHERAL;
  private List<String> indications = new ArrayList<>(List.of("Condition/c1"));
  private BodyWeight weight = new BodyWeight(new BigDecimal("80.0"), AS_OF.minusDays(3), "Observation/w1");
  private final Map<RuleId, Finding> findings = new LinkedHashMap<>();
  private final Map<Risk, Risk.Level> risks = new EnumMap<>(Risk.class);
  private PainScore painBaseline = new PainScore(new BigDecimal("8"), AS_OF.minusDays(10), "Observation/pain1");

  private AnAssessment() {
    for (RuleId r : RuleId.values()) {
      findings.put(r, Finding.of(r, Outcome.NOT_MET, List.of(), r.title() + ": not met", null));
    }
    met(RuleId.IND_LIVING);
    met(RuleId.IND_ADULT);
    met(RuleId.IND_NEUROPATHIC, "Condition/c1");
    met(RuleId.IND_PRIOR_THERAPY, "MedicationRequest/gaba1");
    for (Risk r : Risk.values()) {
      risks.put(r, Risk.Level.LOW);
    }
  }

  public static AnAssessment anAssessment() {
    return new AnAssessment();
  }

  public AnAssessment patient(String id) {
    this.patientId = id;
    return this;
  }

  public AnAssessment asOf(LocalDate date) {
    this.asOf = date;
    return this;
  }

  public AnAssessment female() {
    this.sex = AdministrativeSex.FEMALE;
    return this;
  }

  public AnAssessment born(LocalDate date) {
    this.birthDate = date;
    return this;
  }

  public AnAssessment verdict(Verdict v) {
    this.verdict = v;
    return this;
  }

  public AnAssessment group(IndicationGroup g, String... conditions) {
    this.group = g;
    if (conditions.length > 0) {
      this.indications = new ArrayList<>(List.of(conditions));
      met(RuleId.IND_NEUROPATHIC, conditions);
    }
    return this;
  }

  public AnAssessment weight(String kg) {
    this.weight = new BodyWeight(new BigDecimal(kg), asOf.minusDays(3), "Observation/w1");
    return this;
  }

  public AnAssessment noWeight() {
    this.weight = null;
    return this;
  }

  public AnAssessment met(RuleId rule, String... evidence) {
    findings.put(rule, Finding.of(rule, Outcome.MET, List.of(evidence), rule.title(), null));
    return this;
  }

  /** Any finding as the engine would give it, with its own detail (e.g. "no blood pressure within 30 days"). */
  public AnAssessment finding(Finding finding) {
    findings.put(finding.rule(), finding);
    return this;
  }

  public AnAssessment unknown(RuleId rule, String... evidence) {
    findings.put(rule, Finding.of(rule, Outcome.UNKNOWN, List.of(evidence), rule.title() + ": no data", null));
    return this;
  }

  public AnAssessment attested(RuleId rule, Outcome outcome, String author, String reason, Instant at) {
    Attestation a = new Attestation(rule, outcome, author, reason, at);
    findings.put(rule, new Finding(rule, outcome, List.of(), rule.title() + " (attested)", null, a));
    return this;
  }

  public AnAssessment risk(Risk risk, Risk.Level level) {
    risks.put(risk, level);
    return this;
  }

  public AnAssessment painBaseline(String score) {
    this.painBaseline = score == null ? null : new PainScore(new BigDecimal(score), AS_OF.minusDays(10),
        "Observation/pain1");
    return this;
  }

  public Assessment build() {
    List<Finding> ordered = new ArrayList<>();
    for (RuleId r : RuleId.values()) {
      ordered.add(findings.get(r));
    }
    return new Assessment(new PatientFacts(patientId, birthDate, sex, false, null), asOf, verdict, ordered,
        risks, group, indications, weight, List.of(), List.of(), painBaseline);
  }
}
