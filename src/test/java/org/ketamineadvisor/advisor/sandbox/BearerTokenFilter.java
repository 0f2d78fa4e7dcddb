package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the FHIR endpoint: every request but {@code /metadata} and {@code /.well-known/smart-configuration} needs
 * a bearer access token signed by the sandbox's authorization server, unexpired, issued by it and meant for this
 * FHIR server ({@code aud}). Otherwise 401 with {@code WWW-Authenticate: Bearer}. What the token allows is left
 * for {@link SmartScopeInterceptor} as a {@link SmartAccess} request attribute.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

  /** The one system-level scope the sandbox knows: read anything (see {@link SandboxEhr#readToken}). */
  static final String SYSTEM_READ = "system/*.rs";

  private static final String BEARER = "Bearer ";

  private final NimbusJwtDecoder decoder;
  private final String fhirBase;
  /** Off while the sandbox seeds its own data over HTTP at start-up; on for good afterwards. */
  private volatile boolean guarding;

  BearerTokenFilter(SandboxSetup setup) {
    this.fhirBase = setup.fhirBase();
    try {
      this.decoder = NimbusJwtDecoder.withPublicKey(setup.signingKey().toRSAPublicKey()).build();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("The sandbox's signing key has no usable RSA public key", e);
    }
    JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
    expiry.setClock(setup.options().clock());
    OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(fhirBase)
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
            "the token is not meant for this FHIR server (aud must contain " + fhirBase + ")", null));
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiry, new JwtIssuerValidator(setup.issuer()), audience));
  }

  void startGuarding() {
    guarding = true;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!guarding) {
      chain.doFilter(request, response);
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals(SandboxPages.FHIR_PATH + "/metadata") || path.startsWith(SandboxPages.FHIR_PATH + "/.well-known/")) {
      chain.doFilter(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      unauthorized(response, "Bearer realm=\"" + fhirBase + "\"",
          "This FHIR server needs an access token: send 'Authorization: Bearer <token>' from the SMART launch");
      return;
    }
    Jwt jwt;
    try {
      jwt = decoder.decode(header.substring(BEARER.length()).trim());
    } catch (JwtException e) {
      String reason = e.getMessage().replace('"', '\'');
      unauthorized(response, "Bearer realm=\"" + fhirBase + "\", error=\"invalid_token\", error_description=\"" + reason + "\"",
          "The access token was rejected (" + reason + "); launch the app again or refresh the token");
      return;
    }
    request.setAttribute(SmartAccess.REQUEST_ATTRIBUTE,
        new SmartAccess(SmartScopes.parse(scopes(jwt)), jwt.getClaimAsString(SmartTokenClaims.PATIENT),
            jwt.getClaimAsString(SmartTokenClaims.FHIR_USER), scopes(jwt).contains(SYSTEM_READ)));
    chain.doFilter(request, response);
  }

  /** Spring Authorization Server writes {@code scope} as a JSON array; other servers write a space-separated string. */
  private static Collection<String> scopes(Jwt jwt) {
    Object scope = jwt.getClaim("scope");
    if (scope instanceof Collection<?> list) {
      return list.stream().map(Object::toString).toList();
    }
    return scope == null ? List.of() : Arrays.asList(scope.toString().split(" "));
  }

  private static void unauthorized(HttpServletResponse response, String challenge, String diagnostics) throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", challenge);
    response.setContentType("application/fhir+json;charset=UTF-8");
    String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"login\","
        + "\"diagnostics\":\"" + diagnostics.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
