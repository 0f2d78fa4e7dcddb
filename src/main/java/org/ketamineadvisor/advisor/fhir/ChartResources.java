package org.ketamineadvisor.advisor.fhir;

import static org.ketamineadvisor.advisor.fhir.Canonicals.FINDING_EXTENSION;
import static org.ketamineadvisor.advisor.fhir.Canonicals.VERDICT_EXTENSION;

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
final class ChartResources {

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
        plan.hasAuthor() ? plan.getAuthor().getReference() : null, written(plan));
  }

  /** The newest RiskAssessment of the search that a clinician signed (it names a performer); null when none. */
  static SignedAssessment latestSigned(Bundle found) {
    RiskAssessment latest = null;
    for (Bundle.BundleEntryComponent entry : found.getEntry()) {
      if (entry.getResource() instanceof RiskAssessment ra && ra.hasPerformer() && ra.getStatus() != null
          && ra.getStatus() != RiskAssessment.RiskAssessmentStatus.ENTEREDINERROR
          && (latest == null || newer(ra, latest))) {
        latest = ra;
      }
    }
    return latest == null ? null : signed(latest);
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
        verdictCoding.getDisplay(), asOf, ra.getPerformer().getReference(), written(ra), findings, notes);
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
