package org.ketamineadvisor.advisor.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.ketamineadvisor.advisor.fhir.FhirServerConnection.RequestTally;

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
    this.connection = new FhirServerConnection(ctx, baseUrl, settings);
    this.settings = settings;
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
    ReadRetries waits = new ReadRetries(settings, Clock.systemUTC(), sleeper);
    boolean answerLost = false;
    String reason = null;
    int retries = 0;
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        Bundle response = client.transaction().withBundle(transaction).execute();
        return confirmed(transaction, response, tally.stats(retries, elapsed(started)));
      } catch (FhirClientConnectionException | DataFormatException e) {
        if (e instanceof FhirClientConnectionException) {
          tally.failedRequestEnded();
        }
        reason = lostAnswer(e);
        wait = waits.backoff(attempt);
      } catch (BaseServerResponseException e) {
        boolean transientFailure = e.getStatusCode() == 429 || e.getStatusCode() >= 500;
        if (!transientFailure) {
          if (answerLost && (e.getStatusCode() == 409 || e.getStatusCode() == 412)) {
            // a version conflict after a lost answer may be our own earlier attempt having landed: look
            Optional<WriteResult> found = lookUp(transaction, tally, retries, started, refusal(e));
            if (found.isPresent()) {
              return found.get();
            }
          }
          return WriteResult.failed("nothing was written: " + refusal(e), tally.stats(retries, elapsed(started)));
        }
        reason = refusal(e);
        wait = waits.retryAfter(tally.lastRetryAfter()).orElse(waits.backoff(attempt));
      }
      answerLost = true;
      log.info("The server's answer to the write was lost or refused for now ({}); checking whether it was written",
          reason);
      Optional<WriteResult> found = lookUp(transaction, tally, retries, started, reason);
      if (found.isPresent()) {
        return found.get();
      }
      if (attempt >= settings.maxTries() || wait.compareTo(settings.maxWait()) > 0) {
        String tries = attempt + (attempt == 1 ? " try" : " tries");
        return WriteResult.failed("nothing was written: " + reason + " (" + tries + "; the server was checked "
            + "afterwards and holds none of it)", tally.stats(retries, elapsed(started)));
      }
      retries++;
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return WriteResult.failed("nothing was written: " + reason + "; interrupted before retrying",
            tally.stats(retries, elapsed(started)));
      }
    }
  }

  /**
   * After an ambiguous answer: the written entries when the transaction is on the server (it is atomic, so its
   * first conditional create being there means all of it is), empty when it is not, and an UNKNOWN result when
   * the server cannot be asked.
   */
  private Optional<WriteResult> lookUp(Bundle transaction, RequestTally tally, int retries, long started,
      String reason) {
    ReadRetries lookUpRetries = new ReadRetries(settings, Clock.systemUTC(), sleeper);
    IGenericClient client = connection.client(tally);
    try {
      List<WriteResult.Written> written = new ArrayList<>();
      boolean first = true;
      for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String type = entry.getResource() == null ? request.getUrl() : entry.getResource().fhirType();
        String location = null;
        if (request.getMethod() == Bundle.HTTPVerb.POST && request.hasIfNoneExist()) {
          String query = request.getIfNoneExist().contains("?") ? request.getIfNoneExist()
              : type + "?" + request.getIfNoneExist();
          Bundle found = lookUpRetries.call(tally, () -> client.search().byUrl(query).returnBundle(Bundle.class)
              .execute());
          if (found.getEntry().isEmpty()) {
            if (first) {
              return Optional.empty(); // the transaction is atomic: its first entry missing means none of it is there
            }
            continue;
          }
          location = found.getEntryFirstRep().getResource().getIdElement().toUnqualified().getValue();
        } else if (request.getMethod() == Bundle.HTTPVerb.PUT) {
          String url = request.getUrl();
          location = lookUpRetries.call(tally, () -> client.read().resource(type).withId(new IdType(url).getIdPart())
              .execute()).getIdElement().toUnqualified().getValue();
        }
        first = false;
        if (location != null) {
          written.add(new WriteResult.Written(type, location, false));
        }
      }
      if (written.isEmpty()) {
        return Optional.empty();
      }
      String note = "the server's answer was lost (" + reason + "); the write was confirmed by finding it on the "
          + "server";
      log.info("Write confirmed by looking it up after a lost answer ({} resources)", written.size());
      return Optional.of(WriteResult.confirmedByLookUp(written, note, tally.stats(retries, elapsed(started))));
    } catch (ReadRetries.ReadFailure e) {
      return Optional.of(WriteResult.unknown("it is not known whether the assessment was written: the server's "
          + "answer was lost (" + reason + ") and checking the server failed too (" + e.getMessage() + "); check "
          + "the patient's chart before writing again", tally.stats(retries, elapsed(started))));
    }
  }

  /** Why an answer was lost, in words, without the HTTP library's internals. */
  private String lostAnswer(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataFormatException || (t.getMessage() != null && t.getMessage().contains("Failed to parse"))) {
        return "its answer was cut short or could not be read";
      }
      if (t instanceof java.net.SocketTimeoutException) {
        return "no answer within " + ReadRetries.seconds(settings.socketTimeout());
      }
      if (t instanceof java.net.ConnectException) {
        return "the server could not be reached";
      }
    }
    return "the connection failed before the answer arrived";
  }

  private static Duration elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static WriteResult confirmed(Bundle request, Bundle response, RequestStats stats) {
    if (response.getEntry().size() != request.getEntry().size()) {
      return WriteResult.failed("the server's answer does not confirm the write: " + response.getEntry().size()
          + " entries answered for " + request.getEntry().size() + " sent; check the server before writing again", stats);
    }
    List<WriteResult.Written> written = new ArrayList<>();
    for (int i = 0; i < response.getEntry().size(); i++) {
      Bundle.BundleEntryResponseComponent answer = response.getEntry().get(i).getResponse();
      String type = request.getEntry().get(i).getRequest().getUrl();
      String status = answer.getStatus() == null ? "" : answer.getStatus().trim();
      boolean created = status.startsWith("201");
      if (!(created || status.startsWith("200")) || !answer.hasLocation()) {
        return WriteResult.failed("the server's answer does not confirm the write of the " + type + " (status '"
            + status + "'" + (answer.hasLocation() ? "" : ", no location") + "); check the server before writing again",
            stats);
      }
      written.add(new WriteResult.Written(type, new IdType(answer.getLocation()).toUnqualified().getValue(), created));
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
      return WriteResult.success(List.of(new WriteResult.Written("CarePlan", location, false)),
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
