package org.ketamineadvisor.advisor.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Goal;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.ChartReader;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;
import org.ketamineadvisor.advisor.fhir.server.RequestStats;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpBundle;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpUpdate;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace.Signing;

/**
 * What the workspace writes to the chart, apart from reading and assessing: the signed assessment under the
 * per-patient signing lock (never two active plans), a confirmed follow-up, and the command line's unsigned draft.
 * Every write is one transaction; a write the chart has overtaken meanwhile is refused and says why.
 */
final class ChartWrites {

  private final FhirConnections connections;
  private final ChartReader chartReader;
  private volatile SigningLock signingLock = THIS_JVM;

  ChartWrites(FhirConnections connections, ChartReader chartReader) {
    this.connections = connections;
    this.chartReader = chartReader;
  }

  /** With several instances: the shared store's lock, so that signings of one patient never overlap anywhere. */
  void withSigningLock(SigningLock lock) {
    this.signingLock = Objects.requireNonNull(lock, "signing lock");
  }

  /**
   * Writes the signed assessment as one transaction: RiskAssessment, the CarePlan when there is one, the values the
   * clinician entered as Observations, and Provenance; for a revision, the replaced plan revoked in the same
   * transaction. Never two active plans: under a per-patient lock, the chart is searched again just before writing,
   * and a plan signed meanwhile (another tab, another clinician) refuses the write; a revision must still find the
   * version the clinician saw, and its If-Match makes the server refuse a plan changed since.
   */
  WriteResult sign(OpenedPatient patient, AssessedPatient assessed, Signing signing) {
    SigningLock.Held held;
    try {
      held = signingLock.acquire(patient.fhirBase() + "|" + patient.patientId());
    } catch (IllegalStateException e) {
      return WriteResult.failed("nothing was written: " + e.getMessage() + "; try again", RequestStats.NONE);
    }
    try {
      WriteBackBundleBuilder.Revision revision = null;
      if (signing.chartAccess().carePlans()) {
        ChartState now = chartReader.chart(patient.fhirBase(), signing.accessToken(), patient.patientId(),
            new ChartAccess(true, false, false, false));
        if (!now.checked()) {
          return WriteResult.failed("nothing was written: the chart could not be checked for a plan signed "
              + "meanwhile (" + now.problem() + "); try again", RequestStats.NONE);
        }
        String refusal = refusal(now.currentPlans(), signing.revising());
        if (refusal != null) {
          return WriteResult.failed("nothing was written: " + refusal, RequestStats.NONE);
        }
      } else if (signing.revising() == null && !signing.confirmedNoActivePlan()) {
        return WriteResult.failed("nothing was written: this EHR session may not search care plans, so confirm that "
            + "no ketamine infusion plan is active in the chart before signing", RequestStats.NONE);
      }
      if (signing.revising() != null) {
        try {
          revision = new WriteBackBundleBuilder.Revision(chartReader.plan(patient.fhirBase(), signing.accessToken(),
              signing.revising()));
        } catch (ReadFailure e) {
          return WriteResult.failed("nothing was written: the plan to revise could not be read (" + e.getMessage()
              + "); try again", RequestStats.NONE);
        }
      }
      var bundle = new WriteBackBundleBuilder().build(assessed.assessment(), assessed.plan(),
          new WriteBackContext(signing.fhirUser(), signing.fhirUserName(), signing.signedAt(), true,
              signing.appVersion(), signing.chartAccess().goals()), revision);
      try (FhirServerWriter writer = connections.writer(patient.fhirBase(), signing.accessToken())) {
        return writer.write(bundle);
      }
    } finally {
      held.close();
    }
  }


  /**
   * Writes a follow-up the clinician confirmed: the Goal and the CarePlan updated with {@code If-Match} on the
   * versions the clinician saw, and a Provenance, in one transaction. A Goal or plan changed meanwhile refuses the
   * whole write (nothing is written) and says so.
   */
  WriteResult recordFollowUp(OpenedPatient patient, ExistingPlan plan, ExistingGoal goal, FollowUpUpdate update,
      Signing signing) {
    CarePlan current;
    Goal currentGoal;
    try {
      current = chartReader.plan(patient.fhirBase(), signing.accessToken(), plan);
      currentGoal = chartReader.goal(patient.fhirBase(), signing.accessToken(), goal);
    } catch (ReadFailure e) {
      return WriteResult.failed("nothing was written: the plan and its goal could not be read (" + e.getMessage()
          + "); try again", RequestStats.NONE);
    }
    if (!Objects.equals(current.getIdElement().getVersionIdPart(), plan.version())
        || !Objects.equals(currentGoal.getIdElement().getVersionIdPart(), goal.version())) {
      return WriteResult.failed("nothing was written: the plan or its goal changed in the chart since you opened it; "
          + "reload the page to see the current state", RequestStats.NONE);
    }
    Bundle bundle = FollowUpBundle.build(current, currentGoal, update, new WriteBackContext(signing.fhirUser(),
        signing.fhirUserName(), signing.signedAt(), true, signing.appVersion()));
    try (FhirServerWriter writer = connections.writer(patient.fhirBase(), signing.accessToken())) {
      return writer.write(bundle);
    }
  }

  /**
   * Writes the unsigned transaction (the command line's {@code --write}: no clinician signs, the CarePlan is a draft)
   * to the server the patient was read from. The caller has checked that the server takes it
   * ({@link OpenedPatient#missingForWriting()}) and that the read was complete.
   */
  WriteResult writeDraft(OpenedPatient patient, AssessedPatient assessed, Instant at, String appVersion,
      String accessToken) {
    try (FhirServerWriter writer = connections.writer(patient.fhirBase(), accessToken)) {
      return writer.write(draftBundle(assessed, at, appVersion));
    }
  }

  static Bundle draftBundle(AssessedPatient assessed, Instant at, String appVersion) {
    return new WriteBackBundleBuilder().build(assessed.assessment(), assessed.plan(),
        new WriteBackContext(null, at, false, appVersion));
  }

  /** Why a signing must not write, given the plans in force now; null when it may. */
  private static String refusal(List<ExistingPlan> current, ExistingPlan revising) {
    if (revising == null) {
      return current.isEmpty() ? null : "a ketamine infusion plan is already in force in the chart ("
          + current.get(0).id() + ", " + current.get(0).status() + "), signed meanwhile or in another window; "
          + "reload the page to see it, and revise it instead of writing a second one";
    }
    for (ExistingPlan plan : current) {
      if (!plan.id().equals(revising.id())) {
        return "another ketamine infusion plan is in force in the chart (" + plan.id() + "); reload the page";
      }
      if (!Objects.equals(plan.version(), revising.version())) {
        return "the plan " + plan.id() + " was changed since you opened it (version " + revising.version() + " is now "
            + plan.version() + "); reload the page and revise it again";
      }
    }
    return current.isEmpty() ? "the plan " + revising.id() + " is no longer in force in the chart; reload the page"
        : null;
  }

  /** One lock per JVM by default, shared by every workspace of it (the pages, the sandbox's start-up signing). */
  private static final SigningLock THIS_JVM = SigningLock.inThisJvm();
}
