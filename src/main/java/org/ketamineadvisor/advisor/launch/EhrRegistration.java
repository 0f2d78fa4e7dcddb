package org.ketamineadvisor.advisor.launch;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One allow-listed EHR: its FHIR base URL ({@code iss}) and the client registration the EHR gave the app
 * ({@code advisor.ehrs[n].*}).
 */
public record EhrRegistration(
    String registrationId,
    String name,
    @NotNull(message = "advisor.ehrs[n].issuer is missing: set it to the EHR's FHIR base URL, the `iss` it sends on launch")
    URI issuer,
    @NotBlank(message = "advisor.ehrs[n].client-id is missing: set it to the client id the EHR issued when the app was registered")
    String clientId,
    @DefaultValue("none") ClientAuthentication clientAuthentication,
    String clientSecret,
    List<String> scopes,
    @DefaultValue("{baseUrl}/launch/callback") String redirectUri,
    String jwkSetLocation,
    String keyId) {

  /**
   * The scopes requested when {@code advisor.ehrs[n].scopes} is not set (SMART App Launch 2.x): read and search of
   * what the rules read; read, search and write of what the app writes (so a launch finds the plan and signed
   * assessment written before, and signing can re-check the chart); create of entered vital signs (Observation)
   * and of Provenance; read, search, create and update of Goals (the course's outcome, § 8.3) and read and search
   * of MedicationAdministration (the sessions given, § 8.1).
   */
  public static final List<String> DEFAULT_SCOPES = List.of(
      "patient/Condition.rs", "patient/MedicationRequest.rs", "patient/MedicationStatement.rs",
      "patient/Observation.crs", "patient/AllergyIntolerance.rs", "patient/Patient.r",
      "patient/RiskAssessment.crs", "patient/CarePlan.crus", "patient/Goal.crus", "patient/Provenance.c",
      "patient/MedicationAdministration.rs", "openid", "fhirUser", "launch");

  /**
   * The {@code user/} scopes to add to {@code advisor.ehrs[n].scopes} for the clinic's list (a launch without a
   * patient): search every patient's active plans ({@code CarePlan}, with their {@code Patient}), and read what each
   * row needs — the day check's readings and the sessions given, the follow-ups' scores and Goals, and the rules'
   * inputs when a row's page is opened. Read only: signing from a row's page needs the EHR to grant writes too.
   * SMART App Launch 2.x allows {@code patient/} and {@code user/} scopes in one request.
   */
  public static final List<String> CLINIC_SCOPES = List.of(
      "user/CarePlan.rs", "user/Patient.rs", "user/Observation.rs", "user/MedicationAdministration.rs",
      "user/RiskAssessment.rs", "user/Goal.rs", "user/Condition.rs", "user/MedicationRequest.rs",
      "user/MedicationStatement.rs", "user/AllergyIntolerance.rs");

  public EhrRegistration {
    if (issuer != null) {
      // EHRs send iss with or without a trailing slash; one spelling keeps the allow-list lookup exact
      issuer = URI.create(withoutTrailingSlash(issuer.toString()));
    }
    scopes = scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : List.copyOf(scopes);
    if (registrationId == null || registrationId.isBlank()) {
      registrationId = issuer == null ? "unnamed" : slug(issuer);
    }
    if (name == null || name.isBlank()) {
      name = issuer == null ? registrationId : issuer.getHost();
    }
    if (clientAuthentication == null) {
      clientAuthentication = ClientAuthentication.NONE;
    }
    if (redirectUri == null || redirectUri.isBlank()) {
      redirectUri = "{baseUrl}/launch/callback";
    }
  }

  @AssertTrue(message = "advisor.ehrs[n].issuer must be an absolute http(s) URL such as https://fhir.example.org/R4")
  public boolean isIssuerAbsoluteHttp() {
    return issuer == null
        || (issuer.isAbsolute() && issuer.getHost() != null
            && ("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme())));
  }

  @AssertTrue(message = "advisor.ehrs[n].client-secret is missing: client-authentication client_secret_basic needs the "
      + "secret the EHR issued (pass it as an environment variable, never commit it)")
  public boolean isSecretPresentWhenNeeded() {
    return clientAuthentication != ClientAuthentication.CLIENT_SECRET_BASIC
        || (clientSecret != null && !clientSecret.isBlank());
  }

  @AssertTrue(message = "advisor.ehrs[n].jwk-set-location is missing: client-authentication private_key_jwt needs a JWK "
      + "set file holding the app's private key, e.g. file:/etc/ketamine-advisor/client-keys.json")
  public boolean isKeysPresentWhenNeeded() {
    return clientAuthentication != ClientAuthentication.PRIVATE_KEY_JWT
        || (jwkSetLocation != null && !jwkSetLocation.isBlank());
  }

  @AssertTrue(message = "advisor.ehrs[n].scopes must include launch (EHR launch) and openid fhirUser (who is signed in)")
  public boolean isScopesUsable() {
    return scopes.contains("launch") && scopes.contains("openid") && scopes.contains("fhirUser");
  }

  /** Whether {@code iss} from a launch names this EHR (ignoring a trailing slash). */
  boolean matches(String iss) {
    return iss != null && issuer != null && issuer.toString().equals(withoutTrailingSlash(iss.trim()));
  }

  @Override
  public String toString() {
    return "EhrRegistration[registrationId=" + registrationId + ", issuer=" + issuer + ", clientId=" + clientId
        + ", clientAuthentication=" + clientAuthentication
        + ", clientSecret=" + (clientSecret == null ? "none" : "******") + ", scopes=" + scopes
        + ", jwkSetLocation=" + jwkSetLocation + "]";
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String slug(URI issuer) {
    String text = (issuer.getHost() + (issuer.getPort() > 0 ? "-" + issuer.getPort() : "")
        + (issuer.getPath() == null ? "" : issuer.getPath())).toLowerCase(Locale.ROOT);
    return text.replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
