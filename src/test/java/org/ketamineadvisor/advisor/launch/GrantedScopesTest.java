package org.ketamineadvisor.advisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;

/** Reading granted scopes in v1 and v2 spelling, the v1 translation of requests, and fhirUser as a reference. */
class GrantedScopesTest {

  private static final SmartConfiguration V1 = server(Set.of("permission-v1"), Set.of());
  private static final SmartConfiguration V2 = server(Set.of("permission-v1", "permission-v2"), Set.of());

  @Test
  void theDefaultScopesAllowEverythingTheAppDoes() {
    GrantedScopes granted = new GrantedScopes(Set.copyOf(EhrRegistration.DEFAULT_SCOPES));

    assertThat(granted.canWriteBack()).isTrue();
    assertThat(granted.canUpdate("CarePlan")).isTrue();
    assertThat(granted.limitations()).isEmpty();
    // what the app wrote before must be findable, or every page would offer to sign a second plan
    assertThat(granted.canSearch("CarePlan")).isTrue();
    assertThat(granted.canSearch("RiskAssessment")).isTrue();
    assertThat(granted.canSearch("Goal")).isTrue();
    assertThat(granted.canCreate("Observation")).as("values the clinician enters").isTrue();
  }

  @Test
  void theDefaultScopesInV1SpellingStillAllowFindingAndWritingPlans() {
    List<String> v1 = EhrRegistration.DEFAULT_SCOPES.stream().map(SmartScopes::toV1).toList();
    assertThat(v1).contains("patient/CarePlan.*", "patient/RiskAssessment.*", "patient/Observation.*",
        "patient/Goal.*", "patient/MedicationAdministration.read", "patient/Provenance.write");
    GrantedScopes granted = new GrantedScopes(java.util.Set.copyOf(v1));
    assertThat(granted.canSearch("CarePlan")).isTrue();
    assertThat(granted.canUpdate("CarePlan")).isTrue();
    assertThat(granted.canSearch("RiskAssessment")).isTrue();
    assertThat(granted.canCreate("Observation")).isTrue();
    assertThat(granted.canWriteBack()).isTrue();
  }

  @Test
  void v1ReadAndWriteAndWildcardsAreUnderstood() {
    GrantedScopes granted = GrantedScopes.parse("launch openid user/*.read patient/CarePlan.write patient/Provenance.*");

    assertThat(granted.canRead("Observation")).isTrue();
    assertThat(granted.canSearch("Condition")).isTrue();
    assertThat(granted.canCreate("CarePlan")).isTrue();
    assertThat(granted.canCreate("Provenance")).isTrue();
    assertThat(granted.canCreate("RiskAssessment")).isFalse();
    assertThat(granted.limitations()).containsExactly("Read-only: the EHR did not grant permission to write "
        + "RiskAssessments. The plan can be downloaded or printed instead.");
  }

  @Test
  void readWithoutSearchOrNarrowedScopesDoNotCountAsReadable() {
    GrantedScopes granted = GrantedScopes.parse(
        "patient/Observation.r patient/Condition.rs?category=problem-list-item patient/Patient.r");

    assertThat(granted.canRead("Observation")).isTrue();
    assertThat(granted.canSearch("Observation")).isFalse();
    assertThat(granted.canRead("Condition")).isFalse();
    assertThat(granted.limitations())
        .anyMatch(line -> line.startsWith("The EHR did not grant permission to read Observation records"))
        .anyMatch(line -> line.startsWith("The EHR did not grant permission to read Condition records"))
        .noneMatch(line -> line.contains("read Patient records"));
  }

  @Test
  void v2ScopesAreTranslatedForAV1OnlyServer() {
    assertThat(SmartScopes.toRequest(List.of("patient/Condition.rs", "patient/CarePlan.cu", "patient/Foo.crus",
        "openid", "launch"), V1, false))
        .containsExactly("patient/Condition.read", "patient/CarePlan.write", "patient/Foo.*", "openid", "launch");
    assertThat(SmartScopes.toRequest(List.of("patient/Condition.rs", "launch"), V2, true))
        .containsExactly("patient/Condition.rs", "launch/patient");
  }

  @Test
  void onlyUserAndSystemScopesReachAcrossPatientsForTheClinicsList() {
    GrantedScopes patientOnly = new GrantedScopes(Set.copyOf(EhrRegistration.DEFAULT_SCOPES));
    assertThat(patientOnly.canSearch("CarePlan")).isTrue();
    assertThat(patientOnly.canSearchAcrossPatients("CarePlan")).isFalse();

    GrantedScopes clinic = new GrantedScopes(Set.copyOf(EhrRegistration.CLINIC_SCOPES));
    assertThat(clinic.canSearchAcrossPatients("CarePlan")).isTrue();
    assertThat(clinic.canReadAcrossPatients("Patient")).isTrue();
    assertThat(clinic.canSearchAcrossPatients("Provenance")).isFalse();
    assertThat(GrantedScopes.parse("system/*.rs").canSearchAcrossPatients("Observation")).isTrue();
    assertThat(GrantedScopes.parse("user/CarePlan.read").canSearchAcrossPatients("CarePlan")).isTrue();
    assertThat(GrantedScopes.parse("user/CarePlan.r").canSearchAcrossPatients("CarePlan")).isFalse();
  }

  @Test
  void aSessionWithoutAPatientKeepsOnlyTheScopesThatNeedNone() {
    GrantedScopes mixed = GrantedScopes.parse("patient/CarePlan.crus user/CarePlan.rs openid fhirUser launch");

    GrantedScopes withoutPatient = mixed.withoutPatientScopes();

    assertThat(withoutPatient.scopes()).containsExactlyInAnyOrder("user/CarePlan.rs", "openid", "fhirUser", "launch");
    assertThat(withoutPatient.canCreate("CarePlan")).as("writes need the patient in context").isFalse();
    assertThat(withoutPatient.canSearch("CarePlan")).isTrue();
  }

  @Test
  void theStandaloneClinicLaunchAsksForNoPatient() {
    assertThat(SmartScopes.toRequestForClinic(List.of("patient/Condition.rs", "user/CarePlan.rs", "openid",
        "launch", "launch/patient"), V2)).containsExactly("patient/Condition.rs", "user/CarePlan.rs", "openid");
    assertThat(SmartScopes.toRequestForClinic(List.of("user/CarePlan.rs", "launch"), V1))
        .containsExactly("user/CarePlan.read");
  }

  @Test
  void aServerListingOnlyV1ScopesCountsAsV1() {
    assertThat(server(Set.of(), Set.of("patient/*.read", "openid", "launch")).onlyV1Scopes()).isTrue();
    assertThat(server(Set.of(), Set.of("patient/*.rs", "patient/*.read")).onlyV1Scopes()).isFalse();
    assertThat(server(Set.of(), Set.of()).onlyV1Scopes()).isFalse();
  }

  @Test
  void fhirUserIsKeptAsAReferenceRelativeToTheIssuerWhenItIsOnIt() {
    URI iss = URI.create("https://ehr.example.org/fhir");

    // relative, as the SMART launcher sends it: written as the author, it must stay relative (see PeerEhrLaunchCheck)
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("fhirUser", "Practitioner/12")), iss))
        .hasToString("Practitioner/12");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("fhirUser", "https://ehr.example.org/fhir/Practitioner/12")),
        iss)).hasToString("Practitioner/12");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("fhirUser", "https://ehr.example.org/fhir/Practitioner/12")),
        URI.create("https://ehr.example.org/fhir/"))).hasToString("Practitioner/12");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("fhirUser", "https://other.org/Practitioner/3")), iss))
        .hasToString("https://other.org/Practitioner/3");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("fhirUser", "https://ehr.example.org/fhir2/Practitioner/4")),
        iss)).hasToString("https://ehr.example.org/fhir2/Practitioner/4");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of("profile", "Practitioner/7")), iss))
        .hasToString("Practitioner/7");
    assertThat(LaunchContextUserService.fhirUser(idToken(Map.of()), iss)).isNull();
  }

  private static OidcIdToken idToken(Map<String, Object> claims) {
    OidcIdToken.Builder token = OidcIdToken.withTokenValue("t").subject("u").issuedAt(Instant.EPOCH)
        .expiresAt(Instant.EPOCH.plusSeconds(60));
    claims.forEach(token::claim);
    return token.build();
  }

  private static SmartConfiguration server(Set<String> capabilities, Set<String> scopes) {
    return new SmartConfiguration(null, URI.create("https://a/authorize"), URI.create("https://a/token"), null,
        scopes, capabilities, Set.of("S256"));
  }
}
