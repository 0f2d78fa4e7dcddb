package org.ketamineadvisor.advisor.fhir.bulk;

import java.util.Optional;

/** Where the access token for the export comes from; {@link #none()} for a server that needs none. */
public interface AccessTokens {

  /** A token valid now (renewed first when it is about to expire); empty: send no Authorization header. */
  Optional<String> current() throws BulkException;

  /**
   * The rule types the token's scope does not let the client read (the server narrowed it, or the client did to
   * what the server supports): the export cannot hold them, so their rules have no data. Known once a token was
   * issued.
   */
  default java.util.List<String> typesOutOfScope() {
    return java.util.List.of();
  }

  /** The server answered 401 with the current token: the next {@link #current()} gets a new one. */
  void rejected();

  /** No token at all: no Authorization header is sent. */
  static AccessTokens none() {
    return new AccessTokens() {
      @Override
      public Optional<String> current() {
        return Optional.empty();
      }

      @Override
      public void rejected() {}
    };
  }
}
