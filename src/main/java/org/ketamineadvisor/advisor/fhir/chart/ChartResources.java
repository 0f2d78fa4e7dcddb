package org.ketamineadvisor.advisor.fhir.chart;

import org.ketamineadvisor.advisor.fhir.mapping.FhirConcepts;
import org.ketamineadvisor.advisor.fhir.mapping.WrittenTime;
import org.ketamineadvisor.advisor.fhir.writing.Canonicals;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.FINDING_EXTENSION;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.VERDICT_EXTENSION;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/** Reads back what this app wrote to the chart (its CarePlans and signed RiskAssessments) into the page's records. */
public final class ChartResources {

  /** Newest written first; a resource without meta.lastUpdated last. */
  static final Comparator<ExistingPlan> NEWEST_FIRST = Comparator.comparing(ExistingPlan::written,
      Comparator.nullsLast(Comparator.reverseOrder()));

  private ChartResources() {}

  static ExistingPlan plan(CarePlan plan) {
    return new ExistingPlan("CarePlan/" + plan.getIdElement().getIdPart(), version(plan),
        plan.hasStatus() ? plan.getStatus().toCode() : "unknown", plan.getTitle(), plan.getDescription(),
        plan.hasCreated() ? day(plan.getCreated()) : null,
        plan.getPeriod().hasStart() ? day(plan.getPeriod().getStart()) : null,
        plan.getPeriod().hasEnd() ? day(plan.getPeriod().getEnd()) : null,
        plan.hasAuthor() ? who(plan.getAuthor()) : null, written(plan), sessionDates(plan), followUps(plan),
        dosing(plan), plan.hasGoal() ? plan.getGoalFirstRep().getReference() : null, order(plan), steps(plan),
        assessment(plan));
  }

  /** The RiskAssessment the plan rests on: the first {@code supportingInfo} naming one, as "RiskAssessment/12". */
  private static String assessment(CarePlan plan) {
    for (org.hl7.fhir.r4.model.Reference info : plan.getSupportingInfo()) {
      org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(
          info.getReference() == null ? "" : info.getReference());
      if ("RiskAssessment".equals(id.getResourceType()) && id.hasIdPart()) {
        return "RiskAssessment/" + id.getIdPart();
      }
    }
    return null;
  }

  /** The session series' own words (the first activity, as this app writes it); null when it has none. */
  private static String order(CarePlan plan) {
    if (!plan.hasActivity() || !plan.getActivityFirstRep().getDetail().hasDescription()) {
      return null;
    }
    return plan.getActivityFirstRep().getDetail().getDescription();
  }

  /** Every activity after the session series: its description, its timing in words and the dates it names. */
  private static List<ExistingPlan.Step> steps(CarePlan plan) {
    List<ExistingPlan.Step> steps = new ArrayList<>();
    for (int i = 1; i < plan.getActivity().size(); i++) {
      CarePlan.CarePlanActivityDetailComponent detail = plan.getActivity().get(i).getDetail();
      if (!detail.hasDescription()) {
        continue;
      }
      org.hl7.fhir.r4.model.Timing timing = detail.hasScheduledTiming() ? detail.getScheduledTiming() : null;
      steps.add(new ExistingPlan.Step(detail.getDescription(),
          timing != null && timing.hasCode() ? timing.getCode().getText() : null,
          timing == null ? List.of() : eventDays(timing)));
    }
    return steps;
  }

  static ExistingGoal goal(org.hl7.fhir.r4.model.Goal goal) {
    return new ExistingGoal("Goal/" + goal.getIdElement().getIdPart(), version(goal),
        goal.hasLifecycleStatus() ? goal.getLifecycleStatus().toCode() : null,
        goal.hasAchievementStatus() ? goal.getAchievementStatus().getCodingFirstRep().getCode() : null,
        goal.getDescription().getText(), goal.getOutcomeReference().size());
  }

  /**
   * The ketamine administrations (§ 8.1: the {@code ketamine} value set, by the administration's code or its
   * Medication's) among the search's entries, with their day and status.
   */
  static List<org.ketamineadvisor.advisor.course.Administration> ketamineAdministrations(
      List<Bundle.BundleEntryComponent> entries, org.ketamineadvisor.advisor.terminology.Terminology terminology) {
    java.util.Map<String, org.hl7.fhir.r4.model.Medication> medications = new java.util.HashMap<>();
    for (Bundle.BundleEntryComponent e : entries) {
      if (e.getResource() instanceof org.hl7.fhir.r4.model.Medication m) {
        medications.put("Medication/" + m.getIdElement().getIdPart(), m);
      }
    }
    List<org.ketamineadvisor.advisor.course.Administration> out = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : entries) {
      if (!(e.getResource() instanceof org.hl7.fhir.r4.model.MedicationAdministration ma)) {
        continue;
      }
      org.ketamineadvisor.advisor.terminology.Concept code = null;
      if (ma.hasMedicationCodeableConcept()) {
        code = FhirConcepts.concept(ma.getMedicationCodeableConcept());
      } else if (ma.hasMedicationReference()) {
        org.hl7.fhir.r4.model.Medication m = medications.get(new org.hl7.fhir.r4.model.IdType(
            ma.getMedicationReference().getReference()).toUnqualifiedVersionless().getValue());
        if (m != null && m.hasCode()) {
          code = FhirConcepts.concept(m.getCode());
        }
      }
      if (code == null || !terminology.contains(org.ketamineadvisor.advisor.terminology.ValueSetId.KETAMINE, code)) {
        continue;
      }
      org.hl7.fhir.r4.model.BaseDateTimeType when = ma.hasEffectiveDateTimeType() ? ma.getEffectiveDateTimeType()
          : ma.hasEffectivePeriod() && ma.getEffectivePeriod().hasStart() ? ma.getEffectivePeriod().getStartElement()
          : null;
      WrittenTime time;
      try {
        time = when == null ? null : WrittenTime.of(when);
      } catch (java.time.DateTimeException bad) {
        time = null;
      }
      out.add(new org.ketamineadvisor.advisor.course.Administration(time == null ? null : time.date(),
          ma.hasStatus() ? ma.getStatus().toCode() : null, "MedicationAdministration/" + ma.getIdElement().getIdPart()));
    }
    return out;
  }

  private static final java.util.regex.Pattern DOSING_WEIGHT =
      java.util.regex.Pattern.compile("^Dosing weight ([0-9]+(?:\\.[0-9]+)?) kg$");

  /** The session series' daily amount (mg) and duration (min), and the dosing weight the plan names. */
  private static ExistingPlan.Dosing dosing(CarePlan plan) {
    if (!plan.hasActivity()) {
      return null;
    }
    CarePlan.CarePlanActivityDetailComponent series = plan.getActivityFirstRep().getDetail();
    if (!series.hasDailyAmount() || !series.getDailyAmount().hasValue() || !series.hasScheduledTiming()
        || !series.getScheduledTiming().getRepeat().hasDuration()) {
      return null;
    }
    java.math.BigDecimal weight = null;
    for (org.hl7.fhir.r4.model.Reference info : plan.getSupportingInfo()) {
      java.util.regex.Matcher m = DOSING_WEIGHT.matcher(info.getDisplay() == null ? "" : info.getDisplay());
      if (m.matches()) {
        weight = new java.math.BigDecimal(m.group(1));
      }
    }
    return new ExistingPlan.Dosing(series.getDailyAmount().getValue().intValue(),
        series.getScheduledTiming().getRepeat().getDuration().intValue(), weight);
  }

  /** "Dr Ada Lovelace" from a Practitioner, Person, RelatedPerson or Patient's first usable name. */
  static java.util.Optional<String> personName(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    List<org.hl7.fhir.r4.model.HumanName> names = List.of();
    if (resource instanceof org.hl7.fhir.r4.model.Practitioner p) {
      names = p.getName();
    } else if (resource instanceof org.hl7.fhir.r4.model.Person p) {
      names = p.getName();
    } else if (resource instanceof org.hl7.fhir.r4.model.RelatedPerson p) {
      names = p.getName();
    } else if (resource instanceof org.hl7.fhir.r4.model.Patient p) {
      names = p.getName();
    }
    for (org.hl7.fhir.r4.model.HumanName name : names) {
      String text = name.hasText() ? name.getText() : name.getNameAsSingleString();
      if (text != null && !text.isBlank()) {
        return java.util.Optional.of(text.strip());
      }
    }
    return java.util.Optional.empty();
  }

  /** The clinician by the name the reference carries, else by the reference itself. */
  private static String who(org.hl7.fhir.r4.model.Reference reference) {
    return reference.hasDisplay() ? reference.getDisplay() : reference.getReference();
  }

  /** The session dates of a plan this app wrote (the first activity's timing events); empty for older plans. */
  private static List<LocalDate> sessionDates(CarePlan plan) {
    if (!plan.hasActivity() || !plan.getActivityFirstRep().getDetail().hasScheduledTiming()) {
      return List.of();
    }
    return eventDays(plan.getActivityFirstRep().getDetail().getScheduledTiming());
  }

  /** The pain-score follow-up dates of a plan this app wrote; empty when it has none. */
  private static List<LocalDate> followUps(CarePlan plan) {
    for (CarePlan.CarePlanActivityComponent activity : plan.getActivity()) {
      CarePlan.CarePlanActivityDetailComponent detail = activity.getDetail();
      if (detail.getCode().getCoding().stream().anyMatch(c -> Canonicals.PLAN_ACTIVITY_SYSTEM.equals(c.getSystem())
          && "pain-follow-up".equals(c.getCode())) && detail.hasScheduledTiming()) {
        return eventDays(detail.getScheduledTiming());
      }
    }
    return List.of();
  }

  private static List<LocalDate> eventDays(org.hl7.fhir.r4.model.Timing timing) {
    List<LocalDate> days = new ArrayList<>();
    for (org.hl7.fhir.r4.model.DateTimeType event : timing.getEvent()) {
      String value = event.getValueAsString();
      if (value != null && value.length() >= 10) {
        try {
          days.add(LocalDate.parse(value.substring(0, 10)));
        } catch (java.time.format.DateTimeParseException e) {
          return List.of(); // not a plan this app wrote as it does now: no calendar rather than a wrong one
        }
      }
    }
    return days;
  }

  /** The newest RiskAssessment of the search that a clinician signed (it names a performer); null when none. */
  static SignedAssessment latestSigned(Bundle found) {
    return latestSigned(found.getEntry());
  }

  /** The newest signed assessment among {@code entries}; null when none. */
  static SignedAssessment latestSigned(List<Bundle.BundleEntryComponent> entries) {
    RiskAssessment latest = null;
    for (Bundle.BundleEntryComponent entry : entries) {
      if (entry.getResource() instanceof RiskAssessment ra && ra.hasPerformer() && ra.getStatus() != null
          && ra.getStatus() != RiskAssessment.RiskAssessmentStatus.ENTEREDINERROR
          && (latest == null || newer(ra, latest))) {
        latest = ra;
      }
    }
    return latest == null ? null : signed(latest);
  }

  /** Every signed assessment among {@code entries} (a performer, not entered in error), in their order. */
  static List<SignedAssessment> allSigned(List<Bundle.BundleEntryComponent> entries) {
    List<SignedAssessment> all = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : entries) {
      if (entry.getResource() instanceof RiskAssessment ra && ra.hasPerformer() && ra.getStatus() != null
          && ra.getStatus() != RiskAssessment.RiskAssessmentStatus.ENTEREDINERROR) {
        all.add(signed(ra));
      }
    }
    return all;
  }

  private static SignedAssessment signed(RiskAssessment ra) {
    Extension verdict = ra.getExtensionByUrl(VERDICT_EXTENSION);
    Coding verdictCoding = verdict != null && verdict.getValue() instanceof CodeableConcept c ? c.getCodingFirstRep()
        : new Coding().setCode("unknown").setDisplay("Unknown");
    List<String> findings = new ArrayList<>();
    for (Extension finding : ra.getExtensionsByUrl(FINDING_EXTENSION)) {
      Extension rule = finding.getExtensionByUrl("rule");
      Extension outcome = finding.getExtensionByUrl("outcome");
      if (rule != null && outcome != null && rule.getValue() instanceof Coding r && outcome.getValue() instanceof Coding o) {
        findings.add(r.getCode() + "=" + o.getCode());
      }
    }
    List<String> notes = ra.getNote().stream().map(Annotation::getText).filter(t -> t != null && !t.isBlank()).toList();
    LocalDate asOf = ra.hasOccurrenceDateTimeType() ? ra.getOccurrenceDateTimeType().getValue().toInstant()
        .atOffset(ZoneOffset.UTC).toLocalDate() : null;
    if (ra.hasOccurrenceDateTimeType() && ra.getOccurrenceDateTimeType().getValueAsString().length() == 10) {
      asOf = LocalDate.parse(ra.getOccurrenceDateTimeType().getValueAsString());
    }
    return new SignedAssessment("RiskAssessment/" + ra.getIdElement().getIdPart(), verdictCoding.getCode(),
        verdictCoding.getDisplay(), asOf, who(ra.getPerformer()), written(ra), findings, notes);
  }

  private static boolean newer(Resource a, Resource b) {
    Instant wa = written(a);
    Instant wb = written(b);
    return wa != null && (wb == null || wa.isAfter(wb));
  }

  private static Instant written(Resource r) {
    return r.getMeta().hasLastUpdated() ? r.getMeta().getLastUpdated().toInstant() : null;
  }

  private static String version(Resource r) {
    if (r.getIdElement().hasVersionIdPart()) {
      return r.getIdElement().getVersionIdPart();
    }
    return r.getMeta().hasVersionId() ? r.getMeta().getVersionId() : null;
  }

  private static LocalDate day(Date date) {
    return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
