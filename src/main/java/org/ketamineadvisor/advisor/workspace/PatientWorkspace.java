package org.ketamineadvisor.advisor.workspace;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hl7.fhir.r4.model.Medication;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.course.CourseProgress;
import org.ketamineadvisor.advisor.course.DayCheck;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourse;
import org.ketamineadvisor.advisor.fhir.chart.ActiveCourses;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.chart.ChartReader;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingGoal;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.fhir.mapping.PatientBanner;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.FollowUpUpdate;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/**
 * What every door (the pages, CDS Hooks, the command line, the day check) does with an EHR's FHIR server, so that
 * none opens a server or assesses a patient its own way and the web layer never touches the FHIR model: open the
 * patient (one round of parallel requests, plus the lookup of what this app wrote before), assess it, re-assess after
 * an attestation or a plan change without reading again, and write to the chart ({@link ChartWrites}).
 */
public final class PatientWorkspace {

  private final FhirContext ctx;
  private final ValueSetTerminology terminology;
  private final CapabilityCheck capabilities;
  private final PatientAssessor assessor;
  private final FhirConnections connections;
  private final ChartReader chartReader;
  private final ChartWrites writes;
  private final ActiveCourses activeCourses;
  private final CourseFollowing courses;

  /**
   * On connections of its own (the command line): the settings' token, when there is one, also reads the server's
   * CapabilityStatement, as a server that guards {@code /metadata} asks.
   */
  public PatientWorkspace(FhirContext ctx, ValueSetTerminology terminology, FhirClientSettings settings,
      PatientAssessor assessor) {
    this(ctx, terminology, settings, assessor, new UcumUnitConverter(), SiteSettings.defaults());
  }

  /** As {@link #PatientWorkspace(FhirContext, ValueSetTerminology, FhirClientSettings, PatientAssessor)} for a site. */
  public PatientWorkspace(FhirContext ctx, ValueSetTerminology terminology, FhirClientSettings settings,
      PatientAssessor assessor, UnitConverter units, SiteSettings site) {
    this(terminology, new FhirConnections(ctx, settings, FhirConnections.DEFAULT_MAX_CONNECTIONS),
        new CapabilityCheck(ctx, settings), assessor, units, site);
  }

  /** On the instance's shared connection pools and request threads (every launch, every signing, every CDS call). */
  public PatientWorkspace(ValueSetTerminology terminology, FhirConnections connections, PatientAssessor assessor) {
    this(terminology, connections, assessor, new UcumUnitConverter(), SiteSettings.defaults());
  }

  /**
   * As {@link #PatientWorkspace(ValueSetTerminology, FhirConnections, PatientAssessor)} with the site's settings
   * (its time zone, concentration and re-check time for the infusion-day check) and unit conversions.
   */
  public PatientWorkspace(ValueSetTerminology terminology, FhirConnections connections, PatientAssessor assessor,
      UnitConverter units, SiteSettings site) {
    this(terminology, connections, new CapabilityCheck(connections.context(), connections.settings()), assessor,
        units, site);
  }

  private PatientWorkspace(ValueSetTerminology terminology, FhirConnections connections, CapabilityCheck capabilities,
      PatientAssessor assessor, UnitConverter units, SiteSettings site) {
    this.ctx = connections.context();
    this.terminology = terminology;
    this.capabilities = capabilities;
    this.assessor = assessor;
    this.connections = connections;
    this.chartReader = new ChartReader(connections, terminology);
    this.writes = new ChartWrites(connections, chartReader);
    this.activeCourses = new ActiveCourses(connections);
    this.courses = new CourseFollowing(this, terminology, units, site);
  }

  /** With several instances: the shared store's lock, so that signings of one patient never overlap anywhere. */
  public PatientWorkspace withSigningLock(SigningLock lock) {
    writes.withSigningLock(lock);
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
        PatientAssessor.withDefaultRules(terminology, units, site), units, site);
  }

  /**
   * What opening a patient needs — from a SMART launch, the command line's options, or a CDS hook's
   * {@code fhirServer} and {@code fhirAuthorization}: the server, the patient, the access token (empty for none), the
   * as-of date, and what of the chart may be searched for what this app wrote before ({@link ChartAccess#NONE}: nothing).
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
  public Assessment assessmentAsOf(OpenedPatient patient, LocalDate asOf) {
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
   * Writes the signed assessment ({@link ChartWrites#sign}): never two active plans, under the per-patient signing
   * lock.
   */
  public WriteResult sign(OpenedPatient patient, AssessedPatient assessed, Signing signing) {
    return writes.sign(patient, assessed, signing);
  }

  /** Writes a follow-up the clinician confirmed ({@link ChartWrites#recordFollowUp}). */
  public WriteResult recordFollowUp(OpenedPatient patient, ExistingPlan plan, ExistingGoal goal, FollowUpUpdate update,
      Signing signing) {
    return writes.recordFollowUp(patient, plan, goal, update, signing);
  }

  /** Writes the unsigned transaction, the command line's {@code --write} ({@link ChartWrites#writeDraft}). */
  public WriteResult writeDraft(OpenedPatient patient, AssessedPatient assessed, Instant at, String appVersion,
      String accessToken) {
    return writes.writeDraft(patient, assessed, at, appVersion, accessToken);
  }

  /** What the chart holds now, e.g. after signing (the page then shows the server's truth, not its own memory). */
  public ChartState chart(OpenedPatient patient, String accessToken, ChartAccess access) {
    return chart(patient.fhirBase(), accessToken, patient.patientId(), access);
  }

  /** The unsigned transaction Bundle (CarePlan as a draft) as JSON, for EHRs the app cannot write to. */
  public String draftBundleJson(AssessedPatient assessed, Instant at, String appVersion) {
    return ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(
        ChartWrites.draftBundle(assessed, at, appVersion));
  }

  private ChartState chart(String fhirBase, String accessToken, String patientId, ChartAccess access) {
    return chartReader.chart(fhirBase, accessToken, patientId, access);
  }

  /**
   * Every patient with an active plan of this app on {@code fhirBase}, sorted by patient id, every page of the search
   * followed (the clinic's list, the site's day check).
   *
   * @throws FhirServerException when the search failed or was refused: never a list cut short that looks complete
   */
  public List<ActiveCourse> activeCourses(String fhirBase, String accessToken) {
    return activeCourses(fhirBase, accessToken, true);
  }

  /**
   * As {@link #activeCourses(String, String)}; {@code withPatients} false searches the plans alone (no names): a token
   * that may not read patients across patients would have the whole search refused.
   */
  public List<ActiveCourse> activeCourses(String fhirBase, String accessToken, boolean withPatients) {
    try {
      return activeCourses.find(fhirBase, accessToken, withPatients);
    } catch (ReadFailure e) {
      throw new FhirServerException("the active courses could not be searched: " + e.getMessage());
    }
  }

  /**
   * The course as data as of {@code today} (§ 8.1, § 8.3): status, sessions planned and given, the baseline the
   * signed assessment used (as of its date T), the follow-ups and the standing; {@link CourseProgress#noCourse()}
   * when the chart holds no plan of this app, active or completed.
   *
   * @throws CourseUnreadable when the chart, the Goals, the administrations or part of the record could not be read,
   *     the patient has two active plans of this app, or the course cannot be built from its plan (no session days,
   *     no dose, no signed assessment)
   */
  public CourseProgress progress(OpenedPatient opened, LocalDate today) {
    return courses.progress(opened, today);
  }

  /**
   * The infusion-day check (§ 8.2) at the moment's now, "today" being its calendar day in the moment's zone; empty
   * when the chart holds no active or completed plan of this app. Advice only: nothing is written.
   *
   * @throws CourseUnreadable as {@link #progress}
   */
  public Optional<DayCheck> dayCheck(OpenedPatient opened, AssessmentMoment moment) {
    return courses.dayCheck(opened, moment);
  }

  /** The signed-in clinician's name from their {@code fhirUser} resource ({@link ChartReader#userNameLater}). */
  public CompletableFuture<Optional<String>> userNameLater(String fhirBase, String accessToken,
      String fhirUser) {
    return chartReader.userNameLater(fhirBase, accessToken, fhirUser);
  }
}
