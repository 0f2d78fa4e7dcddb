package org.ketamineadvisor.advisor.fhir;

import static org.ketamineadvisor.advisor.fhir.Canonicals.CARE_PLAN_IDENTIFIER;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.terminology.UnitConverter;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.FhirServerConnection.RequestTally;
import org.ketamineadvisor.advisor.fhir.PatientAssessor.AssessedPatient;
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

  public PatientWorkspace(FhirContext ctx, ValueSetTerminology terminology, FhirClientSettings settings,
      PatientAssessor assessor) {
    this.ctx = ctx;
    this.terminology = terminology;
    this.settings = settings;
    this.capabilities = new CapabilityCheck(ctx, settings);
    this.assessor = assessor;
  }

  /** A workspace on FHIR R4 servers with the default rules and planner (what the clinician pages use). */
  public static PatientWorkspace forR4(ValueSetTerminology terminology, UnitConverter units,
      FhirClientSettings settings) {
    return new PatientWorkspace(FhirContext.forR4Cached(), terminology, settings,
        PatientAssessor.withDefaultRules(terminology, units));
  }

  /**
   * What a launch gives the workspace: the server, the patient, the access token, the as-of date, and whether
   * the granted scopes allow searching CarePlans (to find a plan written before).
   */
  public record Launch(String fhirBase, String patientId, String accessToken, LocalDate asOf,
      boolean mayFindPlans) {
    public Launch {
      if (fhirBase == null || patientId == null || accessToken == null || asOf == null) {
        throw new IllegalArgumentException("opening a patient needs the FHIR base, the patient, a token and a date");
      }
    }

    /** Safe to log: the token is left out. */
    @Override
    public String toString() {
      return "Launch[asOf=" + asOf + "]";
    }
  }

  /**
   * Reads and maps the launched patient.
   *
   * @throws FhirServerException when the server or the Patient itself cannot be read
   */
  public OpenedPatient open(Launch launch) {
    ServerCapabilities server = capabilities.check(launch.fhirBase());
    FhirClientSettings withToken = settings.withBearerToken(launch.accessToken());
    CompletableFuture<ExistingPlans> plans = launch.mayFindPlans()
        ? CompletableFuture.supplyAsync(() -> existingPlans(launch.fhirBase(), withToken, launch.patientId()))
        : CompletableFuture.completedFuture(new ExistingPlans(List.of(),
            "the EHR did not grant permission to search care plans"));
    PatientRead read;
    try (FhirServerReader reader = new FhirServerReader(ctx, launch.fhirBase(), withToken, terminology, server)) {
      read = reader.read(launch.patientId(), launch.asOf());
    }
    ExistingPlans found;
    try {
      found = plans.join();
    } catch (CompletionException e) {
      found = new ExistingPlans(List.of(), "the search failed unexpectedly");
    }
    List<String> blockers = server.missingForWriting().stream().map(need -> "the EHR's FHIR server does not support "
        + need.what()).toList();
    return new OpenedPatient(launch.fhirBase(), launch.patientId(), launch.asOf(),
        assessor.map(read.resources(), read.problems()), PatientBanner.of(read.resources().patient()), blockers,
        found.plans(), found.problem());
  }

  /** The verdict and plan for the record read, with the clinician's attestations and plan choices. */
  public AssessedPatient assess(OpenedPatient patient, List<Attestation> attestations, PlanRequest request) {
    return assessor.assess(patient.mapped(), patient.asOf(), attestations, request);
  }

  /** Writes the signed RiskAssessment, CarePlan and Provenance as one transaction. */
  public WriteResult sign(OpenedPatient patient, AssessedPatient assessed, String fhirUser, Instant signedAt,
      String appVersion, String accessToken) {
    var bundle = new WriteBackBundleBuilder().build(assessed.assessment(), assessed.plan(),
        new WriteBackContext(fhirUser, signedAt, true, appVersion));
    try (FhirServerWriter writer = new FhirServerWriter(ctx, patient.fhirBase(), settings.withBearerToken(accessToken))) {
      return writer.write(bundle);
    }
  }

  /** The unsigned transaction Bundle (CarePlan as a draft) as JSON, for EHRs the app cannot write to. */
  public String draftBundleJson(AssessedPatient assessed, Instant at, String appVersion) {
    var bundle = new WriteBackBundleBuilder().build(assessed.assessment(), assessed.plan(),
        new WriteBackContext(null, at, false, appVersion));
    return ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
  }

  private record ExistingPlans(List<ExistingPlan> plans, String problem) {}

  private ExistingPlans existingPlans(String fhirBase, FhirClientSettings withToken, String patientId) {
    try (FhirServerConnection connection = new FhirServerConnection(ctx, fhirBase, withToken)) {
      RequestTally tally = new RequestTally();
      ReadRetries retries = new ReadRetries(withToken, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
      Bundle found = retries.call(tally, () -> connection.client(tally).search().forResource(CarePlan.class)
          .where(CarePlan.PATIENT.hasId(patientId))
          .and(CarePlan.IDENTIFIER.hasSystemWithAnyCode(CARE_PLAN_IDENTIFIER))
          .count(20).returnBundle(Bundle.class).execute());
      List<ExistingPlan> plans = new ArrayList<>();
      for (Bundle.BundleEntryComponent entry : found.getEntry()) {
        if (entry.getResource() instanceof CarePlan plan) {
          plans.add(new ExistingPlan("CarePlan/" + plan.getIdElement().getIdPart(),
              plan.hasStatus() ? plan.getStatus().toCode() : "unknown", plan.getTitle(),
              plan.hasCreated() ? day(plan.getCreated()) : null,
              plan.getPeriod().hasStart() ? day(plan.getPeriod().getStart()) : null,
              plan.getPeriod().hasEnd() ? day(plan.getPeriod().getEnd()) : null));
        }
      }
      return new ExistingPlans(plans, null);
    } catch (ReadRetries.ReadFailure e) {
      return new ExistingPlans(List.of(), e.getMessage());
    }
  }

  private static LocalDate day(java.util.Date date) {
    return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
