package org.ketamineadvisor.advisor.assessment;

import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/** IND-LIVING, IND-ADULT, IND-NEUROPATHIC and IND-PRIOR-THERAPY (CLINICAL-RULES § 2.1). */
final class IndicationRules implements RuleFamily {

  @Override
  public void evaluate(ClinicalFacts facts, FindingSheet sheet) {
    living(facts, sheet);
    adult(facts, sheet);
    neuropathic(facts, sheet);
    priorTherapy(facts, sheet);
  }

  private static void living(ClinicalFacts facts, FindingSheet sheet) {
    PatientFacts patient = facts.patient();
    String reference = "Patient/" + patient.id();
    LocalDate died = patient.deceasedDate();
    if (died != null && !died.isAfter(facts.asOf())) {
      sheet.notMet(RuleId.IND_LIVING, List.of(reference), "deceased on " + died, died);
    } else if (died != null) {
      // § 2.1: only a death on or before T counts; a record dated after T is read as it stood at T (§ 7.3)
      sheet.met(RuleId.IND_LIVING, new Evidence().add(reference, "living on " + facts.asOf()
          + " (the record's date of death lies after the assessment date)", null));
    } else if (patient.deceasedFlag()) {
      sheet.notMet(RuleId.IND_LIVING, List.of(reference), "the patient record says deceased", null);
    } else {
      sheet.met(RuleId.IND_LIVING, new Evidence().add(reference, "not recorded as deceased", null));
    }
  }

  private static void adult(ClinicalFacts facts, FindingSheet sheet) {
    PatientFacts patient = facts.patient();
    String reference = "Patient/" + patient.id();
    if (patient.birthDate() != null && patient.birthDate().isAfter(facts.asOf())) {
      // a birth date after the assessment date is an error in the record: the age is not known (never "a minor")
      facts.problem(reference + ": the birth date lies after the assessment date " + facts.asOf()
          + "; the age is unknown");
      sheet.unknown(RuleId.IND_ADULT, List.of(reference), "the birth date in the record lies after the assessment "
          + "date, so the age is unknown; correct it in the EHR or confirm the age", null);
      return;
    }
    if (patient.birthDate() == null) {
      sheet.unknown(RuleId.IND_ADULT, List.of(reference), "no birth date in the patient record; confirm the age",
          null);
      return;
    }
    int age = patient.birthDate().isAfter(facts.asOf()) ? -1
        : Period.between(patient.birthDate(), facts.asOf()).getYears();
    int adultAge = facts.settings().adultAge();
    String detail = "age " + Math.max(age, 0) + " on " + facts.asOf() + " (born " + patient.birthDate() + ")";
    if (age >= adultAge) {
      sheet.met(RuleId.IND_ADULT, new Evidence().add(reference, detail, null));
    } else {
      sheet.notMet(RuleId.IND_ADULT, List.of(reference), detail + "; under " + adultAge, null);
    }
  }

  private static void neuropathic(ClinicalFacts facts, FindingSheet sheet) {
    List<PresentCondition> indications = facts.activeConditions(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS);
    IndicationGroup best = bestGroup(indications);
    if (best == null) {
      sheet.notMet(RuleId.IND_NEUROPATHIC, "no active neuropathic pain condition in the record");
      return;
    }
    // the best group's condition leads the detail, because its evidence grade is the one reported
    List<PresentCondition> bestFirst = indications.stream()
        .sorted(Comparator.comparing(IndicationRules::groupOf)).toList();
    Evidence evidence = new Evidence();
    PresentCondition lead = bestFirst.get(0);
    evidence.add(lead.reference(), lead.describe() + " — evidence grade " + best.evidenceGrade() + " ("
        + best.gradeMeaning() + ")", lead.date());
    evidence.addConditions(bestFirst.subList(1, bestFirst.size()));
    sheet.met(RuleId.IND_NEUROPATHIC, evidence);
  }

  /** The best indication group among active indication conditions (§ 7.14); null when there is none. */
  static IndicationGroup bestGroup(List<PresentCondition> activeIndications) {
    return activeIndications.stream().map(IndicationRules::groupOf).min(Comparator.naturalOrder()).orElse(null);
  }

  private static IndicationGroup groupOf(PresentCondition condition) {
    for (IndicationGroup group : IndicationGroup.values()) {
      if (group.code().equals(condition.group())) {
        return group;
      }
    }
    return IndicationGroup.OTHER; // a site's local code without a group is graded like "other"
  }

  private static void priorTherapy(ClinicalFacts facts, FindingSheet sheet) {
    List<MedicationUse> agents = facts.medications(ValueSetId.FIRST_LINE_NEUROPATHIC_AGENTS);
    // § 7.7: an intended statement means nothing has been tried yet
    List<MedicationUse> tried = agents.stream().filter(m -> !m.intended()).toList();
    if (!tried.isEmpty()) {
      sheet.met(RuleId.IND_PRIOR_THERAPY, new Evidence().addMedications(tried));
      return;
    }
    List<MedicationUse> intended = agents.stream().filter(MedicationUse::intended).toList();
    String detail = "no gabapentinoid, TCA or SNRI in the medication record"
        + (intended.isEmpty() ? "" : " (only intended: " + new Evidence().addMedications(intended).detail() + ")")
        + "; a clinician may attest a trial documented elsewhere";
    sheet.unknown(RuleId.IND_PRIOR_THERAPY, intended.stream().map(MedicationUse::reference).toList(), detail, null);
  }
}
