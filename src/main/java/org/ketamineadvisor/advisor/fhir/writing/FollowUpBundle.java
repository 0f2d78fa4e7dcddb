package org.ketamineadvisor.advisor.fhir.writing;


import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * The transaction of a confirmed follow-up (§ 8.3): the Goal and the CarePlan, each an update with {@code If-Match}
 * on the version read, and one Provenance naming the clinician who confirmed it and the app.
 */
public final class FollowUpBundle {
  private FollowUpBundle() {}

  public static Bundle build(CarePlan plan, Goal goal, FollowUpUpdate update, WriteBackContext ctx) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Goal g = goal.copy();
    String goalRef = "Goal/" + goal.getIdElement().getIdPart();
    g.setId(goalRef);
    g.setAchievementStatus(GoalMapper.achievement(update.achievement(), switch (update.achievement()) {
      case "achieved" -> "Achieved";
      case "not-achieved" -> "Not Achieved";
      default -> "In Progress";
    }));
    if (update.goalCompleted()) {
      g.setLifecycleStatus(Goal.GoalLifecycleStatus.COMPLETED);
    }
    for (String score : update.scores()) {
      if (g.getOutcomeReference().stream().noneMatch(r -> score.equals(r.getReference()))) {
        g.addOutcomeReference(new Reference(score));
      }
    }
    g.addNote().setText(update.summary()).setTimeElement(References.utc(ctx.signedAt()))
        .setAuthor(ctx.signer());
    put(bundle, goalRef, g, goal.getIdElement().getVersionIdPart());

    CarePlan p = plan.copy();
    String planRef = "CarePlan/" + plan.getIdElement().getIdPart();
    p.setId(planRef);
    if (update.sessionsCompleted() && p.hasActivity()) {
      p.getActivityFirstRep().getDetail().setStatus(CarePlan.CarePlanActivityStatus.COMPLETED);
    }
    if (update.planCompleted()) {
      p.setStatus(CarePlan.CarePlanStatus.COMPLETED);
    }
    put(bundle, planRef, p, plan.getIdElement().getVersionIdPart());

    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(goalRef)).addTarget(new Reference(planRef));
    provenance.setRecordedElement(References.utcInstant(ctx.signedAt()));
    provenance.setActivity(new CodeableConcept(new Coding(WriteBackBundleBuilder.DATA_OPERATION, "UPDATE",
        "revise")));
    provenance.addReason(new CodeableConcept().setText("Follow-up confirmed: " + update.summary()));
    provenance.addAgent().setType(new CodeableConcept(new Coding(WriteBackBundleBuilder.PARTICIPANT_TYPE, "author",
        "Author"))).setWho(ctx.signer());
    provenance.addAgent().setType(new CodeableConcept(new Coding(WriteBackBundleBuilder.PARTICIPANT_TYPE,
        "assembler", "Assembler"))).setWho(new Reference().setDisplay(WriteBackBundleBuilder.appDisplay(ctx)));
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(("follow-up|" + goalRef + "|"
        + goal.getIdElement().getVersionIdPart()).getBytes(StandardCharsets.UTF_8))).setResource(provenance)
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    return bundle;
  }

  private static void put(Bundle bundle, String reference, org.hl7.fhir.r4.model.Resource resource, String version) {
    resource.getMeta().setVersionId(null).setLastUpdated(null);
    bundle.addEntry().setFullUrl(reference).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT)
        .setUrl(reference).setIfMatch("W/\"" + version + "\"");
  }
}
