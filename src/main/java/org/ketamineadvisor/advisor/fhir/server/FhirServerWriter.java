package org.ketamineadvisor.advisor.fhir.server;

import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection.RequestTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the assessment back to a FHIR server as the one transaction Bundle of
 * {@link WriteBackBundleBuilder}, and later activates (signs) a draft CarePlan without lost updates.
 * Every created entry of that Bundle is a conditional create ({@code ifNoneExist} on a business identifier
 * derived from the content), so sending the same Bundle twice creates nothing new: that is why the transaction
 * is retried (bounded, with backoff, {@code Retry-After} honoured) on 429, 5xx, timeouts and lost connections.
 *
 * <p>What is reported is always true. A write is reported only when the server's transaction-response confirms
 * every entry (201 or 200 with a location); a 4xx is a refusal (the transaction is atomic: nothing was written).
 * When the answer is ambiguous — a cut or unreadable body, a timeout, a reset connection, a 5xx after which the
 * server may still have committed — the writer <em>looks</em>: it searches the server for the transaction's
 * business identifiers, and says "written" when they are there, and only retries when they are not. When even
 * the look-up fails, the outcome is {@link WriteResult.Outcome#UNKNOWN}, never "nothing was written".
 */
public final class FhirServerWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FhirServerWriter.class);

  private final FhirServerConnection connection;
  private final FhirClientSettings settings;
  private final ReadRetries.Sleeper sleeper;

  public FhirServerWriter(FhirContext ctx, String baseUrl, FhirClientSettings settings) {
    this(ctx, baseUrl, settings, d -> Thread.sleep(d.toMillis()));
  }

  FhirServerWriter(FhirContext ctx, String baseUrl, FhirClientSettings settings, ReadRetries.Sleeper sleeper) {
    this(new FhirServerConnection(ctx, baseUrl, settings), sleeper);
  }

  /** On a connection (e.g. a shared pool's, {@link FhirConnections}); closing the writer closes what it owns only. */
  FhirServerWriter(FhirServerConnection connection) {
    this(connection, d -> Thread.sleep(d.toMillis()));
  }

  private FhirServerWriter(FhirServerConnection connection, ReadRetries.Sleeper sleeper) {
    this.connection = connection;
    this.settings = connection.settings();
    this.sleeper = sleeper;
  }

  /** Posts the transaction; never throws for a server or network failure (it is in the result). */
  public WriteResult write(Bundle transaction) {
    if (transaction.getType() != Bundle.BundleType.TRANSACTION) {
      throw new IllegalArgumentException("only a transaction Bundle is written (all or nothing), got " + transaction.getType());
    }
    long started = System.nanoTime();
    RequestTally tally = new RequestTally();
    IGenericClient client = connection.client(tally);
    ReadRetries retries = new ReadRetries(settings, Clock.systemUTC(), sleeper);
    try {
      WriteResult result = retries.call(tally,
          () -> confirmed(transaction, client.transaction().withBundle(transaction).execute(),
              tally.stats(retries.retries(), elapsed(started))),
          reason -> {
            log.info("The server's answer to the write was lost or was an error ({}); looking on the server "
                + "whether it was written", reason);
            return lookUp(transaction, client, tally, reason, () -> tally.stats(retries.retries(), elapsed(started)));
          });
      logWritten(result);
      return result;
    } catch (ReadFailure failure) {
      RequestStats stats = tally.stats(retries.retries(), elapsed(started));
      if (failure.refusal().isEmpty()) {
        // every failed try was followed by a look-up that found nothing: this is known, not assumed
        return WriteResult.failed("nothing was written: the transaction failed (" + failure.getMessage()
            + "); the server was checked afterwards and holds none of it", stats);
      }
      BaseServerResponseException refusal = failure.refusal().get();
      if (retries.retries() > 0 && (refusal.getStatusCode() == 409 || refusal.getStatusCode() == 412)) {
        // a version conflict on a retry may be our own earlier try having landed (an If-Match update): look
        Optional<WriteResult> found = lookUp(transaction, client, tally, refusal(refusal),
            () -> tally.stats(retries.retries(), elapsed(started)));
        if (found.isPresent()) {
          logWritten(found.get());
          return found.get();
        }
      }
      return WriteResult.failed("nothing was written: " + refusal(refusal), stats);
    }
  }

  private static void logWritten(WriteResult result) {
    for (WriteResult.Written w : result.written()) {
      log.info("Written: {} ({})", w.location(), w.how().words());
    }
  }

  /**
   * After an ambiguous answer: the written result when the transaction is on the server, empty when it is not,
   * and an UNKNOWN result when the server cannot be asked.
   *
   * <p>The transaction is atomic, so one entry decides for all: its first conditional create, looked up by the
   * {@code ifNoneExist} search; or, in a transaction of updates only, its first update with {@code If-Match}, read
   * back — written when its version has moved past the If-Match version (someone else's update in between would
   * look the same; a transaction with a conditional create, as every write-back has, does not depend on this).
   * Then each entry's location is looked up so the result lists what is on the server; an unconditional create
   * cannot be found and is not listed.
   */
  private Optional<WriteResult> lookUp(Bundle transaction, IGenericClient client, RequestTally tally, String reason,
      Supplier<RequestStats> stats) {
    List<Bundle.BundleEntryComponent> entries = transaction.getEntry();
    int decisive = firstIndex(entries, FhirServerWriter::isConditionalCreate);
    if (decisive < 0) {
      decisive = firstIndex(entries, FhirServerWriter::isVersionedUpdate);
    }
    if (decisive < 0) {
      return Optional.of(WriteResult.unknown(unknown(reason, "the transaction holds nothing the app can look up"),
          stats.get()));
    }
    ReadRetries lookUpRetries = new ReadRetries(settings, Clock.systemUTC(), sleeper);
    Optional<WriteResult.Written> anchor;
    try {
      anchor = find(entries.get(decisive), client, tally, lookUpRetries, true);
    } catch (ReadFailure e) {
      // not retried either: the transaction's conditional creates rest on the very searches that fail here
      return Optional.of(WriteResult.unknown(unknown(reason, "checking the server failed too (" + e.getMessage()
          + ")"), stats.get()));
    }
    if (anchor.isEmpty()) {
      return Optional.empty();
    }
    List<WriteResult.Written> written = new ArrayList<>();
    String unlisted = "";
    try {
      for (int i = 0; i < entries.size(); i++) {
        Optional<WriteResult.Written> found = i == decisive ? anchor
            : find(entries.get(i), client, tally, lookUpRetries, false);
        found.ifPresent(written::add);
      }
    } catch (ReadFailure e) {
      // it is written (the decisive entry is there); only the list of where is incomplete
      unlisted = "; the other locations could not be looked up (" + e.getMessage() + ")";
      if (!written.contains(anchor.get())) {
        written.add(0, anchor.get());
      }
    }
    log.info("Write confirmed by looking it up after a lost answer ({} resources found)", written.size());
    return Optional.of(WriteResult.confirmedByLookUp(written, "the server's answer was lost (" + reason
        + "); the write was confirmed by finding it on the server" + unlisted, stats.get()));
  }

  /**
   * Where one entry of the transaction is on the server: a conditional create by its {@code ifNoneExist} search, an
   * update by reading it (when {@code decisive}, only once its version has moved past the If-Match version); empty
   * when not there, or when the entry cannot be looked up.
   */
  private static Optional<WriteResult.Written> find(Bundle.BundleEntryComponent entry, IGenericClient client,
      RequestTally tally, ReadRetries retries, boolean decisive) throws ReadFailure {
    Bundle.BundleEntryRequestComponent request = entry.getRequest();
    String type = typeOf(entry);
    if (isConditionalCreate(entry)) {
      // "identifier=…" is relative to the entry's type; "Provenance?target:…" names its own
      String query = request.getIfNoneExist().contains("?") ? request.getIfNoneExist()
          : type + "?" + request.getIfNoneExist();
      Bundle found = retries.call(tally, () -> client.search().byUrl(query).returnBundle(Bundle.class).execute());
      return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
          .filter(r -> r != null && r.fhirType().equals(type)).findFirst()
          .map(r -> new WriteResult.Written(type, r.getIdElement().toUnqualified().getValue(), WriteResult.How.FOUND));
    }
    if (request.getMethod() == Bundle.HTTPVerb.PUT) {
      String id = new IdType(request.getUrl()).getIdPart();
      IIdType current = retries.call(tally, () -> client.read().resource(type).withId(id).execute()).getIdElement();
      if (decisive && Objects.equals(current.getVersionIdPart(), ifMatchVersion(request))) {
        return Optional.empty(); // still the version the update was conditional on: not applied
      }
      return Optional.of(new WriteResult.Written(type, current.toUnqualified().getValue(), WriteResult.How.FOUND));
    }
    return Optional.empty();
  }

  private static boolean isConditionalCreate(Bundle.BundleEntryComponent entry) {
    return entry.getRequest().getMethod() == Bundle.HTTPVerb.POST && entry.getRequest().hasIfNoneExist();
  }

  private static boolean isVersionedUpdate(Bundle.BundleEntryComponent entry) {
    return entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT && ifMatchVersion(entry.getRequest()) != null;
  }

  /** "3" from {@code If-Match: W/"3"}; null without one. */
  private static String ifMatchVersion(Bundle.BundleEntryRequestComponent request) {
    if (!request.hasIfMatch()) {
      return null;
    }
    return request.getIfMatch().replaceFirst("^W/", "").replace("\"", "").strip();
  }

  private static int firstIndex(List<Bundle.BundleEntryComponent> entries,
      Predicate<Bundle.BundleEntryComponent> test) {
    for (int i = 0; i < entries.size(); i++) {
      if (test.test(entries.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** "RiskAssessment": the entry's resource type, from its resource or else from its URL ("CarePlan/7" → CarePlan). */
  private static String typeOf(Bundle.BundleEntryComponent entry) {
    if (entry.getResource() != null) {
      return entry.getResource().fhirType();
    }
    String url = entry.getRequest().getUrl();
    return url.replaceFirst("[/?].*", "");
  }

  private static String unknown(String reason, String why) {
    return "could not confirm whether the write happened: the server's answer was lost (" + reason + ") and " + why
        + "; check the patient's chart before writing again";
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static WriteResult confirmed(Bundle request, Bundle response, RequestStats stats) {
    if (response.getEntry().size() != request.getEntry().size()) {
      return WriteResult.unknown("could not confirm whether the write happened: the server's answer holds "
          + response.getEntry().size() + " entries for the " + request.getEntry().size() + " sent; check the "
          + "patient's chart before writing again", stats);
    }
    List<WriteResult.Written> written = new ArrayList<>();
    for (int i = 0; i < response.getEntry().size(); i++) {
      Bundle.BundleEntryResponseComponent answer = response.getEntry().get(i).getResponse();
      Bundle.BundleEntryComponent sent = request.getEntry().get(i);
      String type = typeOf(sent);
      String status = answer.getStatus() == null ? "" : answer.getStatus().trim();
      boolean created = status.startsWith("201");
      if (!(created || status.startsWith("200")) || !answer.hasLocation()) {
        return WriteResult.unknown("could not confirm whether the write happened: the server's answer does not "
            + "confirm the " + type + " (status '" + status + "'" + (answer.hasLocation() ? "" : ", no location")
            + "); check the patient's chart before writing again", stats);
      }
      WriteResult.How how = created ? WriteResult.How.CREATED
          : sent.getRequest().getMethod() == Bundle.HTTPVerb.PUT ? WriteResult.How.UPDATED
          : WriteResult.How.ALREADY_THERE;
      written.add(new WriteResult.Written(type, new IdType(answer.getLocation()).toUnqualified().getValue(), how));
    }
    return WriteResult.success(written, stats);
  }

  /**
   * Makes a draft CarePlan active (the clinician signs it) with {@code If-Match} on the version the
   * clinician saw, so that a plan changed in the meantime by someone else is not overwritten.
   */
  public WriteResult activate(String carePlanId, String versionId) {
    long started = System.nanoTime();
    RequestTally tally = new RequestTally();
    IGenericClient client = connection.client(tally);
    try {
      CarePlan plan = client.read().resource(CarePlan.class).withIdAndVersion(carePlanId, versionId).execute();
      plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
      plan.setId(new IdType("CarePlan", carePlanId));
      MethodOutcome outcome = client.update().resource(plan).withId(carePlanId)
          .withAdditionalHeader("If-Match", "W/\"" + versionId + "\"").execute();
      String location = outcome.getId() == null ? "CarePlan/" + carePlanId : outcome.getId().toUnqualified().getValue();
      return WriteResult.success(List.of(new WriteResult.Written("CarePlan", location, WriteResult.How.UPDATED)),
          tally.stats(0, Duration.ofNanos(System.nanoTime() - started)));
    } catch (BaseServerResponseException e) {
      String why = e.getStatusCode() == 409 || e.getStatusCode() == 412
          ? "the plan was changed by someone else since version " + versionId + "; reload it and sign again"
          : refusal(e);
      return WriteResult.failed("the plan was not signed: " + why,
          tally.stats(0, Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  private static String refusal(BaseServerResponseException e) {
    if (e instanceof FhirClientConnectionException) {
      return "the server could not be reached or did not answer in time (" + shortMessage(e) + ")";
    }
    String outcome = OperationOutcomeText.of(e.getOperationOutcome());
    String who = switch (e.getStatusCode()) {
      case 401 -> "the server needs a valid access token";
      case 403 -> "the server does not allow this user or app to write";
      default -> "the server refused the transaction";
    };
    return who + " (HTTP " + e.getStatusCode() + (outcome == null ? "" : ": " + outcome) + ")";
  }

  private static String shortMessage(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    return m.replaceFirst("^HAPI-\\d+: ", "").strip();
  }

  @Override
  public void close() {
    connection.close();
  }
}
