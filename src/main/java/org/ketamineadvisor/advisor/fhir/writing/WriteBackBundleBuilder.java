package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.CARE_PLAN_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.GOAL_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RISK_ASSESSMENT_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RULE_SET;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RULE_SET_VERSION;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.PlannedActivity;

/**
 * Builds the write-back transaction Bundle for one assessment (docs/integration.md § FHIR output): a
 * RiskAssessment, the CarePlan when there is a plan (with its Goal when signed, § 8.3), the Observations of the
 * values the clinician entered, and a Provenance targeting them all. The business
 * identifiers and the {@code urn:uuid} full URLs are derived from the content (patient, as-of date, rule
 * set version, verdict, findings, plan, signed or not), and every entry is a conditional create, so a
 * retried write of the same content creates nothing new.
 */
public final class WriteBackBundleBuilder {
  static final String PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
  static final String DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

  public Bundle build(Assessment assessment, Optional<InfusionPlan> plan, WriteBackContext ctx) {
    return build(assessment, plan, ctx, null);
  }

  /**
   * A plan that replaces a signed one: the current version of the plan in the chart, to be revoked in the same
   * transaction ({@code If-Match} on its version, so a plan changed or revised meanwhile refuses the whole write).
   */
  public record Revision(CarePlan current) {
    /** The Goal the current plan pursues ("Goal/123"), which the revised plan keeps; null when it has none. */
    String goal() {
      return current.hasGoal() ? current.getGoalFirstRep().getReference() : null;
    }

    public Revision {
      if (current == null || !current.getIdElement().hasIdPart() || !current.getIdElement().hasVersionIdPart()) {
        throw new IllegalArgumentException("a revision needs the current plan with its id and version");
      }
    }

    String reference() {
      return "CarePlan/" + current.getIdElement().getIdPart();
    }
  }

  /**
   * As {@link #build(Assessment, Optional, WriteBackContext)}; with a {@code revision}, the new CarePlan
   * {@code replaces} the current one, which is set to {@code revoked} by an update with {@code If-Match}, with a
   * Provenance of its own — so there is never a moment with two active plans, nor a revision that overwrote
   * someone else's change.
   */
  public Bundle build(Assessment assessment, Optional<InfusionPlan> plan, WriteBackContext ctx, Revision revision) {
    String key = contentKey(assessment, plan, ctx) + (revision == null ? "" : "|replaces " + revision.reference());
    Identifier raId = new Identifier().setSystem(RISK_ASSESSMENT_IDENTIFIER).setValue(digest("risk-assessment|" + key));
    String raUrl = fullUrl(raId);
    RiskAssessment ra = RiskAssessmentMapper.map(assessment, raId, ctx);

    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    add(bundle, raUrl, ra, "RiskAssessment", "identifier=" + token(raId));

    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(raUrl));
    for (EnteredValue value : assessment.enteredValues()) {
      for (EnteredObservationMapper.Mapped entered : EnteredObservationMapper.map(value, assessment.patient().id())) {
        add(bundle, entered.fullUrl(), entered.observation(), "Observation", "identifier=" + token(entered.identifier()));
        provenance.addTarget(new Reference(entered.fullUrl()));
      }
    }
    if (plan.isPresent()) {
      Identifier cpId = new Identifier().setSystem(CARE_PLAN_IDENTIFIER).setValue(digest("care-plan|" + key));
      String cpUrl = fullUrl(cpId);
      CarePlan cp = CarePlanMapper.map(assessment, plan.get(), cpId, raUrl, ctx);
      if (revision != null) {
        cp.addReplaces(new Reference(revision.reference()));
      }
      // § 8.3: the Goal goes with the signed plan; a revision keeps the Goal of the plan it replaces
      if (revision != null && revision.goal() != null) {
        cp.addGoal(new Reference(revision.goal()));
      } else if (ctx.signed() && ctx.writeGoal() && plan.get().painBaseline() != null) {
        Identifier goalId = new Identifier().setSystem(GOAL_IDENTIFIER).setValue(digest("goal|" + key));
        String goalUrl = fullUrl(goalId);
        add(bundle, goalUrl, GoalMapper.map(assessment, plan.get(), goalId, ctx), "Goal",
            "identifier=" + token(goalId));
        cp.addGoal(new Reference(goalUrl));
        provenance.addTarget(new Reference(goalUrl));
      }
      add(bundle, cpUrl, cp, "CarePlan", "identifier=" + token(cpId));
      provenance.addTarget(new Reference(cpUrl));
    }
    provenance.setRecordedElement(References.utcInstant(ctx.signedAt()));
    provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, "CREATE", "create")));
    if (ctx.fhirUser() != null && !ctx.fhirUser().isBlank()) {
      provenance.addAgent().setType(participant("author", "Author")).setWho(ctx.signer());
    }
    provenance.addAgent().setType(participant("assembler", "Assembler"))
        .setWho(new Reference().setDisplay(appDisplay(ctx)));
    Set<String> attesters = new LinkedHashSet<>();
    assessment.attestations().forEach(a -> attesters.add(a.author()));
    assessment.enteredValues().forEach(v -> attesters.add(v.author()));
    for (String author : attesters) {
      provenance.addAgent().setType(participant("attester", "Attester")).setWho(who(author));
    }
    // R4 Provenance has no identifier: its entry is conditional on its target's identifier instead
    // (on HAPI the "Provenance?" prefix is required inside a transaction).
    add(bundle, "urn:uuid:" + UUID.nameUUIDFromBytes(("provenance|" + raUrl).getBytes(StandardCharsets.UTF_8)),
        provenance, "Provenance", "Provenance?target:RiskAssessment.identifier=" + token(raId));
    if (revision != null) {
      addRevocation(bundle, revision, ctx, raUrl);
    }
    return bundle;
  }

  private static void addRevocation(Bundle bundle, Revision revision, WriteBackContext ctx, String raUrl) {
    CarePlan revoked = revision.current().copy();
    String version = revoked.getIdElement().getVersionIdPart();
    revoked.setId(revision.reference());
    revoked.setStatus(CarePlan.CarePlanStatus.REVOKED);
    bundle.addEntry().setFullUrl(revision.reference()).setResource(revoked).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl(revision.reference()).setIfMatch("W/\"" + version + "\"");
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(revision.reference()));
    provenance.setRecordedElement(References.utcInstant(ctx.signedAt()));
    provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, "UPDATE", "revise")));
    provenance.addReason(new CodeableConcept().setText("Replaced by a revised plan signed with the assessment "
        + raUrl));
    if (ctx.fhirUser() != null && !ctx.fhirUser().isBlank()) {
      provenance.addAgent().setType(participant("author", "Author")).setWho(ctx.signer());
    }
    provenance.addAgent().setType(participant("assembler", "Assembler"))
        .setWho(new Reference().setDisplay(appDisplay(ctx)));
    // no ifNoneExist: the If-Match update above makes a repeat of this transaction fail as a whole
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(("revocation|" + raUrl)
        .getBytes(StandardCharsets.UTF_8))).setResource(provenance).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
  }

  private static Reference who(String author) {
    return References.looksLikeReference(author) ? new Reference(author) : new Reference().setDisplay(author);
  }

  /** "Ketamine Infusion Advisor 1.2.0, rule set v1.1": the app as a Provenance agent. */
  public static String appDisplay(WriteBackContext ctx) {
    return appDisplay(ctx.appVersion());
  }

  static String appDisplay(String appVersion) {
    return "Ketamine Infusion Advisor " + appVersion + ", rule set v" + RULE_SET_VERSION;
  }

  private static void add(Bundle bundle, String fullUrl, Resource resource, String type, String ifNoneExist) {
    bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl(type).setIfNoneExist(ifNoneExist);
  }

  private static CodeableConcept participant(String code, String display) {
    return new CodeableConcept(new Coding(PARTICIPANT_TYPE, code, display));
  }

  /**
   * system|value for a conditional URL, the system percent-encoded: some proxies in front of EHRs
   * collapse "//" in query strings, and a search that silently matches nothing would duplicate.
   */
  static String token(Identifier id) {
    return URLEncoder.encode(id.getSystem(), StandardCharsets.UTF_8) + "%7C"
        + URLEncoder.encode(id.getValue(), StandardCharsets.UTF_8);
  }

  static String fullUrl(Identifier id) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes((id.getSystem() + "|" + id.getValue()).getBytes(StandardCharsets.UTF_8));
  }

  /** Everything that makes two write-backs different; the same content gives the same identifiers. */
  static String contentKey(Assessment a, Optional<InfusionPlan> plan, WriteBackContext ctx) {
    StringBuilder key = new StringBuilder();
    key.append(a.patient().id()).append('|').append(a.asOf()).append('|').append(RULE_SET).append(" v")
        .append(RULE_SET_VERSION).append('|').append(a.verdict().code()).append('|');
    for (Finding f : a.reportableFindings()) {
      key.append(f.rule().id()).append('=').append(f.outcome().code()).append(f.evidence()).append(',');
    }
    key.append('|').append(plan.map(WriteBackBundleBuilder::planKey).orElse("no-plan"));
    key.append('|').append(ctx.signed() ? "signed" : "unsigned");
    return key.toString();
  }

  private static String planKey(InfusionPlan p) {
    StringBuilder key = new StringBuilder();
    key.append(p.protocol().id()).append(',').append(p.sessions()).append(',').append(p.doseMg()).append(',')
        .append(p.rateMgPerHour()).append(',').append(p.minutesPerSession()).append(',')
        .append(p.weightKg().toPlainString()).append(',').append(p.sessionDates()).append(',').append(p.draft());
    for (PlannedActivity act : p.activities()) {
      key.append(';').append(act.code()).append(act.rules()).append(act.timing().dates());
    }
    return key.toString();
  }

  private static String digest(String s) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
