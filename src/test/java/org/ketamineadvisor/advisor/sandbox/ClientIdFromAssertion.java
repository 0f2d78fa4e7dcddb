package org.ketamineadvisor.advisor.sandbox;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A token request authenticated by a client assertion alone, as SMART Backend Services clients send it: RFC 7523
 * makes {@code client_id} optional (the assertion's {@code iss} names the client), Spring Authorization Server
 * requires it and answers {@code invalid_request}. This reads the client id from the assertion's {@code iss}; the
 * assertion is verified afterwards as usual ({@link BackendClients}: signature, {@code iss} = {@code sub}, …).
 * Requests with a {@code client_id} are left to Spring's own converter.
 */
final class ClientIdFromAssertion implements AuthenticationConverter {

  static final ClientAuthenticationMethod JWT_BEARER =
      new ClientAuthenticationMethod("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

  @Override
  public Authentication convert(HttpServletRequest request) {
    String type = request.getParameter("client_assertion_type");
    String assertion = request.getParameter("client_assertion");
    if (!JWT_BEARER.getValue().equals(type) || assertion == null || request.getParameter("client_id") != null) {
      return null;
    }
    String clientId;
    try {
      clientId = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw invalidClient("the client_assertion is not a signed JWT (" + e.getMessage() + ")");
    }
    if (clientId == null || clientId.isBlank()) {
      throw invalidClient("the client_assertion has no iss naming the client");
    }
    return new OAuth2ClientAuthenticationToken(clientId, JWT_BEARER, assertion, Map.of());
  }

  private static OAuth2AuthenticationException invalidClient(String why) {
    return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, null));
  }
}
