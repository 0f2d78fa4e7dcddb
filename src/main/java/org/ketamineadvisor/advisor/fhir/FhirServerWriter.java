package org.ketamineadvisor.advisor.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
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
 * Every entry of that Bundle is a conditional create ({@code ifNoneExist} on a business identifier
 * derived from the content), so sending the same Bundle twice creates nothing new: that is why a
 * transaction whose answer was lost to a connection failure or timeout is sent once more, which is
 * otherwise unsafe for a POST. A write is reported only when the server's transaction-response
 * confirms every entry (201 or 200 with a location); anything else is a failure in plain words.
 */
public final class FhirServerWriter implements AutoCloseable {

  private final FhirServerConnection connection;

  public FhirServerWriter(FhirContext ctx, String baseUrl, FhirClientSettings settings) {
    this.connection = new FhirServerConnection(ctx, baseUrl, settings);
  }

  /** Posts the transaction; never throws for a server or network failure (it is in the result). */
  public WriteResult write(Bundle transaction) {
    if (transaction.getType() != Bundle.BundleType.TRANSACTION) {
      throw new IllegalArgumentException("only a transaction Bundle is written (all or nothing), got " + transaction.getType());
    }
    long started = System.nanoTime();
    RequestTally tally = new RequestTally();
    IGenericClient client = connection.client(tally);
    int retries = 0;
    Bundle response = null;
    String failure = null;
    for (int attempt = 1; attempt <= 2 && response == null; attempt++) {
      try {
        response = client.transaction().withBundle(transaction).execute();
        failure = null;
      } catch (FhirClientConnectionException e) {
        tally.failedRequestEnded();
        failure = "the server could not be reached or did not answer in time (" + shortMessage(e) + ")";
        retries += attempt == 1 ? 1 : 0;
      } catch (BaseServerResponseException e) {
        failure = refusal(e);
        break;
      }
    }
    RequestStats stats = tally.stats(retries, Duration.ofNanos(System.nanoTime() - started));
    if (response == null) {
      return WriteResult.failed("nothing was written: " + failure, stats);
    }
    return confirmed(transaction, response, stats);
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
