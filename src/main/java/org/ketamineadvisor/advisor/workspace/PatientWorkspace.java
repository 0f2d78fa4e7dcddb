package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.ChartReader;

import org.ketamineadvisor.advisor.fhir.server.ReadFailure;

import org.ketamineadvisor.advisor.fhir.chart.ChartResources;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.chart.SignedAssessment;
import org.ketamineadvisor.advisor.fhir.mapping.PatientBanner;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.RequestStats;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpBundle;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpUpdate;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;


import ca.uhn.fhir.context.FhirContext;
import java.util.Collection;
import org.hl7.fhir.r4.model.Medication;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * Everything the clinician pages do with the EHR's FHIR server, so that the web layer never touches the FHIR
 * model: read and assess the launched patient (one round of parallel requests, plus the lookup of plans this app
 * wrote before), re-assess after an attestation or a plan change without reading again, and write back on signing.
 */
public final class PatientWorkspace {

  private final FhirContext ctx;
  private final ValueSetTerminology terminology;
  private final FhirClientSettings settings;
  private final CapabilityCheck capabilities;
  private final PatientAssessor assessor;
  private final FhirConnections connections;
  private final ChartReader chartReader;
  private volatile SigningLock signingLock = THIS_JVM;

  /**
   * On connections of its own (the command line): the settings' token, when there is one, also reads the server's
   * CapabilityStatement, as a server that guards {@code /metadata} asks.
   */
  public PatientWorkspace(FhirContext ctx, ValueSetTerminology terminology, FhirClientSettings settings,
      PatientAssessor assessor) {
    this(terminology, new FhirConnections(ctx, settings, FhirConnections.DEFAULT_MAX_CONNECTIONS),
        new CapabilityCheck(ctx, settings), assessor);
  }

  /** On the instance's shared connection pools and request threads (every launch, every signing, every CDS call). */
  public PatientWorkspace(ValueSetTerminology terminology, FhirConnections connections, PatientAssessor assessor) {
    this(terminology, connections, new CapabilityCheck(connections.context(), connections.settings()), assessor);
  }

  private PatientWorkspace(ValueSetTerminology terminology, FhirConnections connections, CapabilityCheck capabilities,
      PatientAssessor assessor) {
    this.ctx = connections.context();
    this.terminology = terminology;
    this.settings = connections.settings();
    this.capabilities = capabilities;
    this.assessor = assessor;
    this.connections = connections;
    this.chartReader = new ChartReader(connections, terminology);
  }

  /** With several instances: the shared store's lock, so that signings of one patient never overlap anywhere. */
  public PatientWorkspace withSigningLock(SigningLock lock) {
    this.signingLock = java.util.Objects.requireNonNull(lock, "signing lock");
    return this;
  }

  /** A workspace on FHIR R4 servers with the default rules and planner (what the clinician pages use). */
  public static PatientWorkspace forR4(ValueSetTerminology terminology, UnitConverter units,
      FhirClientSettings settings) {
    return forR4(terminology, units, settings, SiteSettings.defaults());
  }

  /** As {@link #forR4(ValueSetTerminology, UnitConverter, FhirClientSettings)} with the site's settings. */
  public static PatientWorkspace forR4(ValueSetTerminology terminology, UnitConverter units,
      FhirClientSettings settings, SiteSettings site) {
    return new PatientWorkspace(FhirContext.forR4Cached(), terminology, settings,
        PatientAssessor.withDefaultRules(terminology, units, site));
  }

  /**
   * What a launch gives the workspace: the server, the patient, the access token, the as-of date, and whether
   * the granted scopes allow searching what this app wrote before (CarePlans and RiskAssessments).
   */
  public record Launch(String fhirBase, String patientId, String accessToken, LocalDate asOf,
      ChartAccess chartAccess) {
    public Launch {
      if (fhirBase == null || patientId == null || accessToken == null || asOf == null || chartAccess == null) {
        throw new IllegalArgumentException("opening a patient needs the FHIR base, the patient, a token, a date and "
            + "what the chart may be searched for");
      }
    }

    /** Safe to log: the token is left out. */
    @Override
    public String toString() {
      return "Launch[asOf=" + asOf + "]";
    }
  }


  /**
   * Reads and maps the launched patient, and looks up what this app wrote to the chart before (in parallel).
   *
   * @throws FhirServerException when the server or the Patient itself cannot be read
   */
  public OpenedPatient open(Launch launch) {
    ServerCapabilities server = capabilities.check(launch.fhirBase());
    // not the common pool: its few threads (cores - 1) would queue every launch's waits behind each other
    CompletableFuture<ChartState> chart = CompletableFuture.supplyAsync(
        () -> chart(launch.fhirBase(), launch.accessToken(), launch.patientId(), launch.chartAccess()),
        connections.requests());
    PatientRead read;
    try (FhirServerReader reader = connections.reader(launch.fhirBase(), launch.accessToken(), terminology, server)) {
      read = reader.read(launch.patientId(), launch.asOf());
    }
    ChartState found;
    try {
      found = chart.join();
    } catch (CompletionException e) {
      found = ChartState.unchecked("the search failed unexpectedly");
    }
    return new OpenedPatient(launch.fhirBase(), launch.patientId(), launch.asOf(),
        assessor.map(read.resources(), read.problems()), PatientBanner.of(read.resources().patient()),
        server.missingForWriting(), found);
  }

  /**
   * The verdict and plan for a record handed over already read (CDS Hooks prefetch): the types in {@code readProblems}
   * could not be read, so the rules depending on them are unknown.
   */
  public AssessedPatient assess(PatientResources resources, List<ReadProblem> readProblems, LocalDate asOf) {
    return assessor.assess(resources, readProblems, asOf, List.of(), PlanRequest.defaults());
  }

  /**
   * The Medications of {@code ids} on {@code fhirBase}, in one search: what a record handed over without them (CDS
   * Hooks prefetch has no {@code _include}) still references.
   *
   * @throws FhirServerException when the server or the search fails, with the reason
   */
  public List<Medication> readMedications(String fhirBase, String accessToken, Collection<String> ids) {
    try (FhirServerReader reader = connections.reader(fhirBase, accessToken, terminology,
        capabilities.check(fhirBase))) {
      return reader.readMedications(ids);
    }
  }

  /** The verdict and plan for the record read, with the clinician's statements and entered values. */
  public AssessedPatient assess(OpenedPatient patient, List<Attestation> attestations, List<EnteredValue> entered,
      PlanRequest request) {
    return assessor.assess(patient.mapped(), patient.asOf(), attestations, entered, request);
  }

  /**
   * The assessment on the record as of an earlier date, e.g. the signing date T of a course, whose baseline pain
   * score the outcome is measured against (§ 8.3).
   */
  public org.ketamineadvisor.advisor.assessment.Assessment assessmentAsOf(OpenedPatient patient, LocalDate asOf) {
    return assessor.assess(patient.mapped(), asOf, List.of(), List.of(), PlanRequest.defaults()).assessment();
  }

  /** As {@link #assess(OpenedPatient, List, List, PlanRequest)} without entered values. */
  public AssessedPatient assess(OpenedPatient patient, List<Attestation> attestations, PlanRequest request) {
    return assess(patient, attestations, List.of(), request);
  }

  /**
   * What the clinician signs: who and when, the token, the plan being revised (its id and the version the clinician
   * saw; null for a first signing), and — when the chart cannot be searched — the clinician's confirmation that no
   * ketamine plan is active in it.
   */
  public record Signing(String fhirUser, String fhirUserName, Instant signedAt, String appVersion, String accessToken,
      ChartAccess chartAccess, ExistingPlan revising, boolean confirmedNoActivePlan) {
    public Signing {
      if (fhirUser == null || signedAt == null || accessToken == null || chartAccess == null) {
        throw new IllegalArgumentException("signing needs the clinician, the time, a token and the chart access");
      }
    }

    @Override
    public String toString() {
      return "Signing[at=" + signedAt + ", revising=" + (revising != null) + "]";
    }
  }

  /**
   * Writes the signed assessment as one transaction: RiskAssessment, the CarePlan when there is one, the values the
   * clinician entered as Observations, and Provenance; for a revision, the replaced plan revoked in the same
   * transaction. Never two active plans: under a per-patient lock, the chart is searched again just before writing,
   * and a plan signed meanwhile (another tab, another clinician) refuses the write; a revision must still find the
   * version the clinician saw, and its If-Match makes the server refuse a plan changed since.
   */
  public WriteResult sign(OpenedPatient patient, AssessedPatient assessed, Signing signing) {
    SigningLock.Held held;
    try {
      held = signingLock.acquire(patient.fhirBase() + "|" + patient.patientId());
    } catch (IllegalStateException e) {
      return WriteResult.failed("nothing was written: " + e.getMessage() + "; try again", RequestStats.NONE);
    }
    try {
      WriteBackBundleBuilder.Revision revision = null;
      if (signing.chartAccess().carePlans()) {
        ChartState now = chart(patient.fhirBase(), signing.accessToken(), patient.patientId(),
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
  public WriteResult recordFollowUp(OpenedPatient patient, ExistingPlan plan, ExistingGoal goal, FollowUpUpdate update,
      Signing signing) {
    CarePlan current;
    org.hl7.fhir.r4.model.Goal currentGoal;
    try {
      current = chartReader.plan(patient.fhirBase(), signing.accessToken(), plan);
      currentGoal = chartReader.goal(patient.fhirBase(), signing.accessToken(), goal);
    } catch (ReadFailure e) {
      return WriteResult.failed("nothing was written: the plan and its goal could not be read (" + e.getMessage()
          + "); try again", RequestStats.NONE);
    }
    if (!java.util.Objects.equals(current.getIdElement().getVersionIdPart(), plan.version())
        || !java.util.Objects.equals(currentGoal.getIdElement().getVersionIdPart(), goal.version())) {
      return WriteResult.failed("nothing was written: the plan or its goal changed in the chart since you opened it; "
          + "reload the page to see the current state", RequestStats.NONE);
    }
    Bundle bundle = FollowUpBundle.build(current, currentGoal, update, new WriteBackContext(signing.fhirUser(),
        signing.fhirUserName(), signing.signedAt(), true, signing.appVersion()));
    try (FhirServerWriter writer = connections.writer(patient.fhirBase(), signing.accessToken())) {
      return writer.write(bundle);
    }
  }

  /** What the chart holds now, e.g. after signing (the page then shows the server's truth, not its own memory). */
  public ChartState chart(OpenedPatient patient, String accessToken, ChartAccess access) {
    return chart(patient.fhirBase(), accessToken, patient.patientId(), access);
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
      if (!java.util.Objects.equals(plan.version(), revising.version())) {
        return "the plan " + plan.id() + " was changed since you opened it (version " + revising.version() + " is now "
            + plan.version() + "); reload the page and revise it again";
      }
    }
    return current.isEmpty() ? "the plan " + revising.id() + " is no longer in force in the chart; reload the page"
        : null;
  }

  /** The unsigned transaction Bundle (CarePlan as a draft) as JSON, for EHRs the app cannot write to. */
  public String draftBundleJson(AssessedPatient assessed, Instant at, String appVersion) {
    return ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(draftBundle(assessed, at, appVersion));
  }

  /**
   * Writes the unsigned transaction (the command line's {@code --write}: no clinician signs, the CarePlan is a draft)
   * to the server the patient was read from. The caller has checked that the server takes it
   * ({@link OpenedPatient#missingForWriting()}) and that the read was complete.
   */
  public WriteResult writeDraft(OpenedPatient patient, AssessedPatient assessed, Instant at, String appVersion,
      String accessToken) {
    try (FhirServerWriter writer = connections.writer(patient.fhirBase(), accessToken)) {
      return writer.write(draftBundle(assessed, at, appVersion));
    }
  }

  private static Bundle draftBundle(AssessedPatient assessed, Instant at, String appVersion) {
    return new WriteBackBundleBuilder().build(assessed.assessment(), assessed.plan(),
        new WriteBackContext(null, at, false, appVersion));
  }

  /** One lock per JVM by default, shared by every workspace of it (the pages, the sandbox's start-up signing). */
  private static final SigningLock THIS_JVM = SigningLock.inThisJvm();

  private ChartState chart(String fhirBase, String accessToken, String patientId, ChartAccess access) {
    return chartReader.chart(fhirBase, accessToken, patientId, access);
  }

  /** The signed-in clinician's name from their {@code fhirUser} resource ({@link ChartReader#userNameLater}). */
  public CompletableFuture<java.util.Optional<String>> userNameLater(String fhirBase, String accessToken,
      String fhirUser) {
    return chartReader.userNameLater(fhirBase, accessToken, fhirUser);
  }
}
