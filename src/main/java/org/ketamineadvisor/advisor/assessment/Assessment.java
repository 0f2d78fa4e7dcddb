package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of assessing one patient at {@code asOf}: the verdict, one finding per rule (every rule,
 * in {@link RuleId} order), the four risks, the best indication group (null when there is no
 * indication), the indication conditions, the dosing weight (null without one), and the patient.
 */
public record Assessment(
    PatientFacts patient,
    LocalDate asOf,
    Verdict verdict,
    List<Finding> findings,
    Map<Risk, Risk.Level> risks,
    IndicationGroup indicationGroup,
    List<String> indicationReferences,
    BodyWeight weight,
    List<String> dataProblems,
    List<EnteredValue> enteredValues,
    PainScore painBaseline) {

  public Assessment {
    enteredValues = enteredValues == null ? List.of() : List.copyOf(enteredValues);
    findings = List.copyOf(findings);
    risks = Map.copyOf(new EnumMap<>(risks));
    indicationReferences = indicationReferences == null ? List.of() : List.copyOf(indicationReferences);
    dataProblems = dataProblems == null ? List.of() : List.copyOf(dataProblems);
  }

  /** An assessment on the record alone, with no value entered by a clinician. */
  public Assessment(PatientFacts patient, LocalDate asOf, Verdict verdict, List<Finding> findings,
      Map<Risk, Risk.Level> risks, IndicationGroup indicationGroup, List<String> indicationReferences,
      BodyWeight weight, List<String> dataProblems) {
    this(patient, asOf, verdict, findings, risks, indicationGroup, indicationReferences, weight, dataProblems,
        List.of(), null);
  }

  /** The clinician's statements (attestations) the verdict rests on. */
  public List<Attestation> attestations() {
    return findings.stream().map(Finding::attestation).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * How many items of the verdict a clinician supplied (entered values and statements): a verdict that rests on
   * them says so wherever it is shown (CLINICAL-RULES § 2.4).
   */
  public int clinicianItems() {
    return enteredValues.size() + attestations().size();
  }

  /** The entered value a finding's evidence reference points to, if the reference is one. */
  public java.util.Optional<EnteredValue> enteredValue(String reference) {
    return enteredValues.stream().filter(v -> v.references().contains(reference)).findFirst();
  }

  public Finding finding(RuleId rule) {
    for (Finding f : findings) {
      if (f.rule() == rule) {
        return f;
      }
    }
    throw new IllegalStateException("no finding for " + rule.id());
  }

  public Outcome outcome(RuleId rule) {
    return finding(rule).outcome();
  }

  /** Met or unknown findings, as listed in the output. */
  public List<Finding> reportableFindings() {
    return findings.stream().filter(Finding::reportable).toList();
  }

  /**
   * The findings that decide the verdict (§ 3): the met contraindications, the indications not met, the unknowns, or
   * the met precautions and interactions; none for suitable. The page's headline and the CDS card both name these.
   */
  public List<Finding> decidingFindings() {
    return findings.stream().filter(f -> {
      RuleId.Category c = f.rule().category();
      return switch (verdict) {
        case CONTRAINDICATED -> c == RuleId.Category.CONTRAINDICATION && f.outcome() == Outcome.MET;
        case NOT_INDICATED -> c == RuleId.Category.INDICATION && f.outcome() == Outcome.NOT_MET;
        case NEEDS_INFORMATION -> f.outcome() == Outcome.UNKNOWN;
        case SUITABLE_WITH_PRECAUTIONS -> (c == RuleId.Category.PRECAUTION || c == RuleId.Category.INTERACTION)
            && f.outcome() == Outcome.MET;
        case SUITABLE -> false;
      };
    }).toList();
  }

  /** Unknowns that block signing: a needs-information plan is a draft until these are attested. */
  public List<Finding> unknowns() {
    return findings.stream().filter(f -> f.outcome() == Outcome.UNKNOWN).toList();
  }
}
