package org.ketamineadvisor.advisor.launch;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The parts of an EHR's {@code .well-known/smart-configuration} the app uses (SMART App Launch 2.x § Discovery).
 *
 * @param issuer the OpenID issuer of id_tokens, when the server advertises one
 * @param jwksUri where the id_token signing keys are published, when advertised
 */
public record SmartConfiguration(
    URI issuer,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    URI jwksUri,
    Set<String> scopesSupported,
    Set<String> capabilities,
    Set<String> codeChallengeMethodsSupported) {

  public SmartConfiguration {
    if (authorizationEndpoint == null || tokenEndpoint == null) {
      throw new IllegalArgumentException("authorization_endpoint and token_endpoint are required");
    }
    scopesSupported = scopesSupported == null ? Set.of() : Set.copyOf(scopesSupported);
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    codeChallengeMethodsSupported =
        codeChallengeMethodsSupported == null ? Set.of() : Set.copyOf(codeChallengeMethodsSupported);
  }

  /**
   * Whether the server understands only SMART v1 scopes ({@code patient/Condition.read}): it says
   * {@code permission-v1} without {@code permission-v2}, or, saying neither, lists only v1-style scopes.
   */
  public boolean onlyV1Scopes() {
    if (capabilities.contains("permission-v2")) {
      return false;
    }
    if (capabilities.contains("permission-v1")) {
      return true;
    }
    List<String> resourceScopes = scopesSupported.stream().filter(s -> s.contains("/") && s.contains(".")).toList();
    return !resourceScopes.isEmpty()
        && resourceScopes.stream().allMatch(s -> s.endsWith(".read") || s.endsWith(".write") || s.endsWith(".*"));
  }
}
