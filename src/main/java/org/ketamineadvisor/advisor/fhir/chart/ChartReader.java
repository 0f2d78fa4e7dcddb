package org.ketamineadvisor.advisor.fhir.chart;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.CARE_PLAN_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.GOAL_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RISK_ASSESSMENT_IDENTIFIER;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.ketamineadvisor.advisor.course.Administration;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * Searches the chart for what this app wrote before — its CarePlans, its latest signed RiskAssessment, its Goals —
 * and the ketamine administrations given, in one round of parallel requests; a search that fails or is not granted
 * is said, never read as "none".
 */
public final class ChartReader {

  private final FhirConnections connections;
  private final ValueSetTerminology terminology;

  public ChartReader(FhirConnections connections, ValueSetTerminology terminology) {
    this.connections = connections;
    this.terminology = terminology;
  }

  /** What the chart of {@code patientId} holds now, or why it could not be checked. */
  public ChartState chart(String fhirBase, String accessToken, String patientId, ChartAccess access) {
    if (!access.carePlans()) {
      return ChartState.unchecked("the EHR did not grant permission to search care plans");
    }
    try (FhirServerConnection connection = connections.to(fhirBase, accessToken)) {
      // one round: the assessments', Goals' and administrations' searches run alongside the plans'
      // every page: the latest signed assessment, and the one each plan rests on however many came after it
      CompletableFuture<List<Bundle.BundleEntryComponent>> assessments = access.riskAssessments()
          ? CompletableFuture.supplyAsync(() -> {
            try {
              return allPages(connection, connection.request(c -> c.search()
                  .forResource(RiskAssessment.class).where(RiskAssessment.PATIENT.hasId(patientId))
                  .and(RiskAssessment.IDENTIFIER.hasSystemWithAnyCode(RISK_ASSESSMENT_IDENTIFIER))
                  .count(50).returnBundle(Bundle.class).execute()));
            } catch (ReadFailure e) {
              throw new CompletionException(e);
            }
          }, connections.requests())
          : CompletableFuture.completedFuture(List.of());
      CompletableFuture<Part<ExistingGoal>> goals = CompletableFuture.supplyAsync(
          () -> goals(connection, patientId, access), connections.requests());
      CompletableFuture<Part<Administration>> given =
          CompletableFuture.supplyAsync(() -> administrations(connection, patientId, access), connections.requests());
      Bundle found = connection.request(c -> c.search().forResource(CarePlan.class)
          .where(CarePlan.PATIENT.hasId(patientId))
          .and(CarePlan.IDENTIFIER.hasSystemWithAnyCode(CARE_PLAN_IDENTIFIER))
          .count(50).returnBundle(Bundle.class).execute());
      List<ExistingPlan> plans = new ArrayList<>();
      for (Bundle.BundleEntryComponent entry : found.getEntry()) {
        if (entry.getResource() instanceof CarePlan plan) {
          plans.add(ChartResources.plan(plan));
        }
      }
      plans.sort(ChartResources.NEWEST_FIRST);
      List<Bundle.BundleEntryComponent> assessed;
      try {
        assessed = assessments.join();
      } catch (CompletionException e) {
        return ChartState.unchecked(e.getCause() instanceof ReadFailure failure ? failure.getMessage()
            : "the search failed unexpectedly");
      }
      Part<ExistingGoal> goalsRead = goals.join();
      Part<Administration> givenRead = given.join();
      List<String> problems = Stream.of(goalsRead.problem(), givenRead.problem()).filter(Objects::nonNull).toList();
      return new ChartState(plans, ChartResources.latestSigned(assessed), null, goalsRead.found(), givenRead.found(),
          problems.isEmpty() ? null : String.join("; ", problems), ChartResources.allSigned(assessed));
    } catch (ReadFailure e) {
      return ChartState.unchecked(e.getMessage());
    }
  }

  /** The plan as the server holds it now (its current version), to revise or update it. */
  public CarePlan plan(String fhirBase, String accessToken, ExistingPlan plan) throws ReadFailure {
    try (FhirServerConnection connection = connections.to(fhirBase, accessToken)) {
      return connection.request(c -> c.read().resource(CarePlan.class)
          .withId(new IdType(plan.id()).getIdPart()).execute());
    }
  }

  /** The Goal as the server holds it now (its current version), to update it. */
  public Goal goal(String fhirBase, String accessToken, ExistingGoal goal) throws ReadFailure {
    try (FhirServerConnection connection = connections.to(fhirBase, accessToken)) {
      return connection.request(c -> c.read().resource(Goal.class)
          .withId(new IdType(goal.id()).getIdPart()).execute());
    }
  }

  /**
   * The signed-in clinician's name, read from their {@code fhirUser} resource (Practitioner, Person, …; the SMART
   * {@code fhirUser} scope grants this read); empty when the EHR refuses the read or the resource has no name, so
   * the caller can fall back to the id_token's name or the reference. Read alongside other work: the launch reads it
   * while the record is read; the future never fails.
   */
  public CompletableFuture<Optional<String>> userNameLater(String fhirBase, String accessToken, String fhirUser) {
    return CompletableFuture.supplyAsync(() -> userName(fhirBase, accessToken, fhirUser), connections.requests());
  }

  private Optional<String> userName(String fhirBase, String accessToken, String fhirUser) {
    if (fhirUser == null || fhirUser.isBlank()) {
      return Optional.empty();
    }
    IdType id = new IdType(fhirUser);
    if (!id.hasResourceType() || !id.hasIdPart()) {
      return Optional.empty();
    }
    try (FhirServerConnection connection = connections.to(fhirBase, accessToken)) {
      return ChartResources.personName(connection.request(c -> c.read().resource(id.getResourceType())
          .withId(id.getIdPart()).execute()));
    } catch (ReadFailure | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The entries of {@code first} and of every page after it. */
  private static List<Bundle.BundleEntryComponent> allPages(FhirServerConnection connection, Bundle first)
      throws ReadFailure {
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>(first.getEntry());
    Bundle page = first;
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      Bundle current = page;
      page = connection.request(c -> c.loadPage().next(current).execute());
      entries.addAll(page.getEntry());
    }
    return entries;
  }

  /** What one of the course's searches found, or why it could not be read (never "none" when it failed). */
  private record Part<T>(List<T> found, String problem) {}

  /** The app's Goals (§ 8.3); a failed or refused search is the course's problem, never "no goal". */
  private Part<ExistingGoal> goals(FhirServerConnection connection, String patientId, ChartAccess access) {
    if (!access.goals()) {
      return new Part<>(List.of(), "the EHR did not grant permission to read and update goals");
    }
    try {
      Bundle found = connection.request(c -> c.search().forResource(Goal.class).where(Goal.PATIENT.hasId(patientId))
          .and(Goal.IDENTIFIER.hasSystemWithAnyCode(GOAL_IDENTIFIER))
          .count(50).returnBundle(Bundle.class).execute());
      List<ExistingGoal> goals = new ArrayList<>();
      for (Bundle.BundleEntryComponent e : found.getEntry()) {
        if (e.getResource() instanceof Goal g) {
          goals.add(ChartResources.goal(g));
        }
      }
      return new Part<>(goals, null);
    } catch (ReadFailure e) {
      return new Part<>(List.of(), "the goals could not be read (" + e.getMessage() + ")");
    }
  }

  /**
   * The patient's ketamine administrations (§ 8.1), every page; a failed or refused search is the course's problem
   * (the page then says the sessions could not be counted), never "no session given".
   */
  private Part<Administration> administrations(FhirServerConnection connection, String patientId,
      ChartAccess access) {
    if (!access.administrations()) {
      return new Part<>(List.of(), "the EHR did not grant permission to read the medication administration "
          + "record");
    }
    try {
      List<Bundle.BundleEntryComponent> entries = allPages(connection, connection.request(c -> c.search()
          .forResource(MedicationAdministration.class).where(MedicationAdministration.PATIENT.hasId(patientId))
          .include(MedicationAdministration.INCLUDE_MEDICATION)
          .count(200).returnBundle(Bundle.class).execute()));
      return new Part<>(ChartResources.ketamineAdministrations(entries, terminology), null);
    } catch (ReadFailure e) {
      return new Part<>(List.of(), "the medication administration record could not be read (" + e.getMessage()
          + ")");
    }
  }
}
