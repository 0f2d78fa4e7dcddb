package org.ketamineadvisor.advisor.fhir.server;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Optional;

/** A request that still failed after the retries, or was refused; the reason is meant for a person. */
public final class ReadFailure extends Exception {
  private final transient BaseServerResponseException refusal;

  ReadFailure(String reason) {
    this(reason, null);
  }

  ReadFailure(String reason, BaseServerResponseException refusal) {
    super(reason, null, false, false);
    this.refusal = refusal;
  }

  /** The server's answer when it refused the request (a 4xx other than 429, not retried); empty otherwise. */
  Optional<BaseServerResponseException> refusal() {
    return Optional.ofNullable(refusal);
  }
}
