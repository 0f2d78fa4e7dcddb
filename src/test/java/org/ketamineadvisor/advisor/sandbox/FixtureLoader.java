package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/** Posts fixture files to a FHIR server (embedded or a container) as transactions, turning collection Bundles into transactions first. */
public final class FixtureLoader {

  static final FhirContext FHIR = FhirContext.forR4Cached();

  /** Its own context: a whole Synthea record in one transaction takes longer than the default 10 s read timeout. */
  private static final FhirContext LOADING = loadingContext();

  private final IGenericClient client;

  public FixtureLoader(String baseUrl) {
    this.client = LOADING.newRestfulGenericClient(baseUrl);
  }

  private static FhirContext loadingContext() {
    FhirContext context = FhirContext.forR4();
    context.getRestfulClientFactory().setSocketTimeout((int) Duration.ofMinutes(10).toMillis());
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    return context;
  }

  public Bundle load(Path file) {
    return load(read(file), file.toString());
  }

  public Bundle load(Bundle bundle, String source) {
    try {
      return client.transaction().withBundle(asTransaction(bundle)).execute();
    } catch (FhirClientConnectionException e) {
      throw new IllegalStateException(
          "Could not send " + source + " to the embedded FHIR server: " + e.getMessage()
              + " (is it still running? a huge Bundle may need more than the 10 minute timeout)", e);
    } catch (BaseServerResponseException e) {
      throw new IllegalArgumentException(
          "The FHIR server rejected " + source + ": HTTP " + e.getStatusCode() + " " + e.getMessage()
              + " (fix the fixture: conditional references must match a resource loaded before it)", e);
    }
  }

  private static Bundle read(Path file) {
    IParser parser = FHIR.newJsonParser();
    // a collection entry's resource keeps its own id; by default HAPI would replace it with the entry's fullUrl
    parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
    try (Reader reader = Files.newBufferedReader(file)) {
      IBaseResource resource = parser.parseResource(reader);
      if (resource instanceof Bundle bundle) {
        return bundle;
      }
      Bundle single = new Bundle().setType(BundleType.COLLECTION);
      single.addEntry().setResource((Resource) resource);
      return single;
    } catch (IOException | DataFormatException | ClassCastException e) {
      throw new IllegalArgumentException(
          "Could not read fixture " + file + " as a FHIR R4 JSON Bundle or resource: " + e.getMessage(), e);
    }
  }

  /**
   * Transactions and batches pass unchanged; any other Bundle becomes a transaction of its entries,
   * PUT to their own id (so tests and fixtures can name them) or POSTed when they have none.
   * Entries keep their fullUrl, so {@code urn:uuid:} references between them are resolved by the server.
   */
  static Bundle asTransaction(Bundle bundle) {
    if (bundle.getType() == BundleType.TRANSACTION || bundle.getType() == BundleType.BATCH) {
      return bundle;
    }
    Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
    for (BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      if (resource == null) {
        continue;
      }
      BundleEntryComponent copy = transaction.addEntry().setFullUrl(entry.getFullUrl()).setResource(resource);
      String type = resource.fhirType();
      if (resource.getIdElement().hasIdPart() && !resource.getIdElement().getIdPart().startsWith("urn:")) {
        copy.getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "/" + resource.getIdElement().getIdPart());
      } else {
        copy.getRequest().setMethod(HTTPVerb.POST).setUrl(type);
      }
    }
    return transaction;
  }
}
