package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;

/** Maps an {@link Assessment} to the RiskAssessment of CLINICAL-RULES § 6 (profile ketamine-risk-assessment). */
final class RiskAssessmentMapper {
  static final String SUITABILITY_CODE = "ketamine-infusion-suitability";
  static final String SUITABILITY_DISPLAY = "Suitability for IV ketamine infusion for neuropathic pain";
  static final String RULE_SET_CODE = RULE_SET + "-v" + RULE_SET_VERSION;
  static final String RULE_SET_DISPLAY = "Ketamine infusion suitability rule set v" + RULE_SET_VERSION;

  private RiskAssessmentMapper() {}

  static RiskAssessment map(Assessment a, Identifier identifier, WriteBackContext ctx) {
    RiskAssessment ra = new RiskAssessment();
    ra.getMeta().addProfile(RISK_ASSESSMENT_PROFILE);
    ra.setText(Narratives.riskAssessment(a));
    ra.addExtension(new Extension(VERDICT_EXTENSION, new CodeableConcept(
        new Coding(VERDICT_SYSTEM, a.verdict().code(), a.verdict().display()))));
    for (Finding f : a.reportableFindings()) {
      ra.addExtension(finding(f));
    }
    ra.addIdentifier(identifier);
    ra.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
    ra.setMethod(new CodeableConcept(new Coding(ASSESSMENT_CODE_SYSTEM, RULE_SET_CODE, RULE_SET_DISPLAY))
        .setText(RULE_SET + " v" + RULE_SET_VERSION));
    ra.setCode(new CodeableConcept(new Coding(ASSESSMENT_CODE_SYSTEM, SUITABILITY_CODE, SUITABILITY_DISPLAY)));
    ra.setSubject(new Reference("Patient/" + a.patient().id()));
    ra.setOccurrence(new DateTimeType(a.asOf().toString()));
    if (ctx.signed()) {
      ra.setPerformer(ctx.signer());
    }
    for (String ref : basis(a)) {
      ra.addBasis(new Reference(ref));
    }
    for (Risk risk : Risk.values()) {
      Risk.Level level = a.risks().getOrDefault(risk, Risk.Level.LOW);
      ra.addPrediction()
          .setOutcome(new CodeableConcept(new Coding(RISK_SYSTEM, risk.code(), risk.display())))
          .setQualitativeRisk(new CodeableConcept(new Coding(RISK_PROBABILITY, level.code(), likelihood(level))));
    }
    String mitigation = mitigation(a);
    if (!mitigation.isEmpty()) {
      ra.setMitigation(mitigation);
    }
    for (Attestation attestation : a.attestations()) {
      ra.addNote(note(attestation.author(), attestation.at(), attestation.rule().id() + " stated by the clinician: "
          + attestation.statement() + " (" + attestation.reason() + ")"));
    }
    for (EnteredValue value : a.enteredValues()) {
      ra.addNote(note(value.author(), value.enteredAt(), value.rule().id() + " settled by a value the clinician "
          + "entered: " + value.describe()));
    }
    return ra;
  }

  /** Every resource a met or unknown rule rests on, first mention first. */
  static List<String> basis(Assessment a) {
    Set<String> refs = new LinkedHashSet<>();
    for (Finding f : a.reportableFindings()) {
      refs.addAll(f.evidence());
    }
    return new ArrayList<>(refs);
  }

  /** The met precautions' and interactions' mitigations, each once, in rule order. */
  static String mitigation(Assessment a) {
    Set<String> texts = new LinkedHashSet<>();
    for (Finding f : a.findings()) {
      if (f.outcome() == Outcome.MET && f.rule().mitigation() != null) {
        texts.add(f.rule().mitigation());
      }
    }
    return String.join("; ", texts);
  }

  private static Extension finding(Finding f) {
    Extension ext = new Extension(FINDING_EXTENSION);
    ext.addExtension("rule", ruleCoding(f.rule()));
    ext.addExtension("outcome", new Coding(RULE_OUTCOME_SYSTEM, f.outcome().code(), outcomeDisplay(f.outcome())));
    if (f.detail() != null && !f.detail().isBlank()) {
      ext.addExtension("detail", new StringType(f.detail()));
    }
    for (String ref : f.evidence()) {
      ext.addExtension("evidence", new Reference(ref));
    }
    return ext;
  }

  static Coding ruleCoding(RuleId rule) {
    return new Coding(RULE_SYSTEM, rule.id(), rule.title());
  }

  static String outcomeDisplay(Outcome o) {
    return switch (o) {
      case MET -> "Met";
      case NOT_MET -> "Not met";
      case UNKNOWN -> "Unknown";
    };
  }

  private static String likelihood(Risk.Level level) {
    return switch (level) {
      case LOW -> "Low likelihood";
      case MODERATE -> "Moderate likelihood";
      case HIGH -> "High likelihood";
    };
  }

  private static Annotation note(String author, java.time.Instant at, String text) {
    Annotation note = new Annotation();
    if (References.looksLikeReference(author)) {
      note.setAuthor(new Reference(author));
    } else {
      note.setAuthor(new StringType(author));
    }
    note.setTimeElement(References.utc(at));
    note.setText(text);
    return note;
  }
}
