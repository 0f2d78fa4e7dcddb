package org.ketamineadvisor.advisor.fhir.server;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.fhir.mapping.ResourceKeys;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.DateClientParam;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection.RequestTally;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * Reads one patient's record from a FHIR R4 server in one round of parallel requests: the Patient
 * read and one search per resource type (Condition, MedicationStatement and MedicationRequest with
 * their Medication included, Observation limited to the codes and the longest look-back the rules
 * use, AllergyIntolerance), each following every {@code next} page. A type whose search or any of
 * its pages still fails after the retries is dropped whole and reported as a {@link ReadProblem};
 * a partial list is never handed on as if complete. Thread-safe; one instance per server.
 */
public final class FhirServerReader implements AutoCloseable {

  static final String LOINC = "http://loinc.org";
  /** The longest observation window of the rules (intraocular pressure, CLINICAL-RULES § 7.12), plus a day for time zones. */
  static final int OBSERVATION_LOOK_BACK_DAYS = 365 + 1;

  private final FhirServerConnection connection;
  private final List<String> observationCodes;
  private final ServerCapabilities capabilities;
  private final Clock clock;
  private final ReadRetries.Sleeper sleeper;
  private final ExecutorService executor;
  private final boolean ownsExecutor;

  /**
   * @param capabilities what the server supports (from {@link CapabilityCheck}); a type it cannot
   *     search becomes a read problem without a request. {@link ServerCapabilities#assumeAll} tries everything.
   */
  public FhirServerReader(FhirContext ctx, String baseUrl, FhirClientSettings settings,
      ValueSetTerminology terminology, ServerCapabilities capabilities) {
    this(ctx, baseUrl, settings, terminology, capabilities, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  FhirServerReader(FhirContext ctx, String baseUrl, FhirClientSettings settings, ValueSetTerminology terminology,
      ServerCapabilities capabilities, Clock clock, ReadRetries.Sleeper sleeper) {
    this(new FhirServerConnection(ctx, baseUrl, settings), terminology, capabilities, clock, sleeper,
        Executors.newCachedThreadPool(runnable -> {
          Thread thread = new Thread(runnable, "fhir-server-reader");
          thread.setDaemon(true);
          return thread;
        }), true);
  }

  /** On a shared connection pool and shared threads ({@link FhirConnections}); closing the reader keeps both. */
  FhirServerReader(FhirServerConnection connection, ValueSetTerminology terminology, ServerCapabilities capabilities,
      ExecutorService sharedThreads) {
    this(connection, terminology, capabilities, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), sharedThreads,
        false);
  }

  private FhirServerReader(FhirServerConnection connection, ValueSetTerminology terminology,
      ServerCapabilities capabilities, Clock clock, ReadRetries.Sleeper sleeper, ExecutorService executor,
      boolean ownsExecutor) {
    this.connection = connection;
    Set<String> codes = new java.util.TreeSet<>(terminology.codes(ValueSetId.OBSERVATION_CODES, LOINC));
    codes.addAll(terminology.codes(ValueSetId.HCG_TESTS, LOINC));
    this.observationCodes = List.copyOf(codes);
    this.capabilities = capabilities;
    this.clock = clock;
    this.sleeper = sleeper;
    this.executor = executor;
    this.ownsExecutor = ownsExecutor;
  }

  /**
   * Reads the patient and everything the rules need about them as of {@code asOf}.
   *
   * @throws FhirServerException when the Patient itself cannot be read (not found, refused, server down)
   */
  public PatientRead read(String patientId, LocalDate asOf) {
    if (patientId == null || !patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("not a FHIR id: '" + patientId + "' (letters, digits, '-' and '.', at most 64)");
    }
    long started = System.nanoTime();
    RequestTally tally = new RequestTally();
    ReadRetries retries = new ReadRetries(connection.settings(), clock, sleeper);
    IGenericClient client = connection.client(tally);

    Map<String, Future<List<Bundle.BundleEntryComponent>>> searches = new LinkedHashMap<>();
    List<ReadProblem> problems = new ArrayList<>();
    for (Search search : searches(patientId, asOf)) {
      if (!capabilities.supports(search.need())) {
        problems.add(new ReadProblem(search.type(), "the server does not support " + search.need().what()));
        continue;
      }
      searches.put(search.type(), executor.submit(() -> allPages(client, retries, tally, search.query().apply(client))));
    }
    Patient patient;
    try {
      if (!capabilities.supports(ServerNeed.READ_PATIENT)) {
        throw new ReadFailure("the server does not support reading Patient");
      }
      patient = retries.call(tally, () -> client.read().resource(Patient.class).withId(patientId).execute());
    } catch (ReadFailure e) {
      searches.values().forEach(f -> f.cancel(true));
      throw new FhirServerException("could not read Patient/" + patientId + " from " + connection.baseUrl() + ": "
          + e.getMessage());
    }

    List<Resource> resources = new ArrayList<>();
    List<String> fullUrls = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, Future<List<Bundle.BundleEntryComponent>>> search : searches.entrySet()) {
      try {
        for (Bundle.BundleEntryComponent entry : search.getValue().get()) {
          Resource resource = entry.getResource();
          String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
          if (resource.getIdElement().getIdPart() == null || seen.add(key)) {
            resources.add(resource);
            fullUrls.add(entry.hasFullUrl() ? entry.getFullUrl() : null);
          }
        }
      } catch (ExecutionException e) {
        String reason = e.getCause() instanceof ReadFailure failure ? failure.getMessage()
            : "unexpected error (" + e.getCause() + ")";
        problems.add(new ReadProblem(search.getKey(), reason));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FhirServerException("interrupted while reading patient " + patientId);
      }
    }
    unresolvedMedications(resources, seen).ifPresent(problems::add);
    PatientResources read = new PatientResources(patientId, patient, resources, fullUrls,
        connection.baseUrl() + "/Patient/" + patientId);
    return new PatientRead(read, problems,
        tally.stats(retries.retries(), Duration.ofNanos(System.nanoTime() - started)));
  }

  /**
   * The Medications of {@code ids}, in one search ({@code Medication?_id=a,b,c}, every page) with the retries of a
   * record read: what CDS Hooks prefetch cannot carry (its recommended queries have no {@code _include}). One the
   * server does not hold is simply not in the result; the caller counts what is missing and says so.
   *
   * @throws FhirServerException when the search fails after the retries or is refused, with the reason
   */
  public List<Medication> readMedications(java.util.Collection<String> ids) {
    RequestTally tally = new RequestTally();
    ReadRetries retries = new ReadRetries(connection.settings(), clock, sleeper);
    IGenericClient client = connection.client(tally);
    List<String> wanted = List.copyOf(new java.util.LinkedHashSet<>(ids));
    try {
      List<Medication> read = new ArrayList<>();
      for (Bundle.BundleEntryComponent entry : allPages(client, retries, tally, client.search()
          .forResource(Medication.class).where(Medication.RES_ID.exactly().codes(wanted)).count(wanted.size())
          .returnBundle(Bundle.class))) {
        if (entry.getResource() instanceof Medication m) {
          read.add(m);
        }
      }
      return read;
    } catch (ReadFailure e) {
      throw new FhirServerException("the Medication search on " + connection.baseUrl() + " failed: " + e.getMessage());
    }
  }

  /** One search per resource type, built lazily on the client of the read. */
  private record Search(String type, ServerNeed need, Function<IGenericClient, IQuery<Bundle>> query) {}

  private List<Search> searches(String patientId, LocalDate asOf) {
    int count = connection.settings().pageSize();
    ReferenceClientParam patient = new ReferenceClientParam("patient");
    return List.of(
        new Search("Condition", ServerNeed.SEARCH_CONDITION, c -> c.search().forResource("Condition")
            .where(patient.hasId(patientId)).count(count).returnBundle(Bundle.class)),
        new Search("MedicationStatement", ServerNeed.SEARCH_MEDICATION_STATEMENT, c -> c.search()
            .forResource("MedicationStatement").where(patient.hasId(patientId))
            .include(new Include("MedicationStatement:medication")).count(count).returnBundle(Bundle.class)),
        new Search("MedicationRequest", ServerNeed.SEARCH_MEDICATION_REQUEST, c -> c.search()
            .forResource("MedicationRequest").where(patient.hasId(patientId))
            .include(new Include("MedicationRequest:medication")).count(count).returnBundle(Bundle.class)),
        new Search("Observation", ServerNeed.SEARCH_OBSERVATION, c -> c.search().forResource("Observation")
            .where(patient.hasId(patientId))
            .and(new TokenClientParam("code").exactly().systemAndValues(LOINC, observationCodes))
            .and(new DateClientParam("date").afterOrEquals().day(asOf.minusDays(OBSERVATION_LOOK_BACK_DAYS).toString()))
            // § 7.3: nothing dated after the as-of date reaches a rule or a chart, so the search bounds both ends
            .and(new DateClientParam("date").beforeOrEquals().day(asOf.toString()))
            .count(count).returnBundle(Bundle.class)),
        new Search("AllergyIntolerance", ServerNeed.SEARCH_ALLERGY, c -> c.search().forResource("AllergyIntolerance")
            .where(patient.hasId(patientId)).count(count).returnBundle(Bundle.class)));
  }

  /** Every entry of every page; any page that still fails fails the whole search. */
  private static List<Bundle.BundleEntryComponent> allPages(IGenericClient client, ReadRetries retries,
      RequestTally tally, IQuery<Bundle> query) throws ReadFailure {
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
    Bundle page = retries.call(tally, query::execute);
    int pageNumber = 1;
    entries.addAll(page.getEntry());
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      Bundle current = page;
      pageNumber++;
      try {
        page = retries.call(tally, () -> client.loadPage().next(current).execute());
      } catch (ReadFailure e) {
        throw new ReadFailure("page " + pageNumber + " failed: " + e.getMessage());
      }
      entries.addAll(page.getEntry());
    }
    return entries;
  }

  /**
   * A Medication referenced by a read MedicationRequest/MedicationStatement but not returned by the
   * server (no {@code _include} support, or not allowed to see it) would silently lose the drug.
   */
  private static java.util.Optional<ReadProblem> unresolvedMedications(List<Resource> resources, Set<String> seen) {
    int missing = 0;
    for (Resource r : resources) {
      Type medication = r instanceof MedicationRequest mr ? mr.getMedication()
          : r instanceof MedicationStatement ms ? ms.getMedication() : null;
      if (medication instanceof Reference ref && ref.hasReference() && !ref.getReference().startsWith("#")) {
        String id = ResourceKeys.idPart(ref.getReference());
        if (id != null && !seen.contains("Medication/" + id)) {
          missing++;
        }
      }
    }
    return missing == 0 ? java.util.Optional.empty() : java.util.Optional.of(new ReadProblem("Medication",
        missing + " referenced Medication resource(s) were not returned by the server"));
  }

  @Override
  public void close() {
    if (ownsExecutor) {
      executor.shutdownNow();
    }
    connection.close();
  }
}
