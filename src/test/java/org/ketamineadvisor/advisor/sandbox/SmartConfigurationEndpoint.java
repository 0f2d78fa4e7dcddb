package org.ketamineadvisor.advisor.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {fhirBase}/.well-known/smart-configuration} (SMART App Launch 2.x discovery), public like
 * {@code /metadata}; and the sandbox's {@code smart_style_url} document.
 */
final class SmartConfigurationEndpoint extends HttpServlet {

  static final List<String> CAPABILITIES = List.of("launch-ehr", "launch-standalone", "client-public",
      "client-confidential-symmetric", "client-confidential-asymmetric", "context-ehr-patient",
      "context-standalone-patient", "context-banner", "context-style", "permission-v2", "permission-v1",
      "permission-patient", "permission-offline", "sso-openid-connect");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] configuration;

  SmartConfigurationEndpoint(SandboxSetup setup) {
    String issuer = setup.issuer();
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer);
    document.put("jwks_uri", issuer + "/oauth2/jwks");
    document.put("authorization_endpoint", issuer + "/oauth2/authorize");
    document.put("token_endpoint", issuer + "/oauth2/token");
    document.put("introspection_endpoint", issuer + "/oauth2/introspect");
    document.put("revocation_endpoint", issuer + "/oauth2/revoke");
    document.put("userinfo_endpoint", issuer + "/userinfo");
    document.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
    document.put("response_types_supported", List.of("code"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt"));
    // SMART asks for both; the app's own client is registered for RS384, Backend Services clients may use either
    document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    document.put("scopes_supported", java.util.stream.Stream.concat(SmartAuthorizationServerConfig.allScopes().stream(),
        SmartAuthorizationServerConfig.systemScopes().stream()).toList());
    document.put("capabilities", CAPABILITIES);
    try {
      configuration = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
    } catch (IOException e) {
      throw new IllegalStateException("Could not write the smart-configuration document", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("application/json");
    // discovery is read by browsers' apps too
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.getOutputStream().write(configuration);
  }

  /** The {@code smart_style_url} document: the EHR's colours, so an embedded app can blend in. */
  static final class Style extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType("application/json");
      response.setHeader("Access-Control-Allow-Origin", "*");
      response.getWriter().write("{\"color_background\":\"#f6f7f9\",\"color_error\":\"#a4161a\","
          + "\"color_highlight\":\"#1d3557\",\"color_modal_backdrop\":\"\",\"color_success\":\"#2b9348\","
          + "\"color_text\":\"#1b1b1b\",\"dim_border_radius\":\"4px\",\"dim_font_size\":\"16px\","
          + "\"dim_spacing_size\":\"16px\",\"font_family_body\":\"system-ui, sans-serif\","
          + "\"font_family_heading\":\"system-ui, sans-serif\"}");
    }
  }
}
