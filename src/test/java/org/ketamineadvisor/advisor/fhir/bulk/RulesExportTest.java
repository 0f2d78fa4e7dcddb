package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.LocalCodes;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** The export asks for what the rules read, no more: the types, the Observation codes and the look-back. */
class RulesExportTest {

  @Test
  void medicationIsAskedForAtEveryLevelButIsNoRuleType() {
    // review #22 finding 3: without Medication a Group's medicationReference stays unresolved (drugs unknown)
    for (ExportLevel level : ExportLevel.values()) {
      assertThat(RulesExport.types(level)).contains("Medication").hasSize(7);
    }
    assertThat(RulesExport.isRuleType("Medication")).isFalse();
    assertThat(RulesExport.isRuleType("Condition")).isTrue();
  }

  @Test
  void aGrantedScopeWithoutReadOfARuleTypeMakesItUnreadable() {
    assertThat(BackendServicesTokens.unreadableTypes(RulesExport.defaultScope())).isEmpty();
    assertThat(BackendServicesTokens.unreadableTypes("system/*.read")).isEmpty();
    assertThat(BackendServicesTokens.unreadableTypes("system/*.rs")).isEmpty();
    assertThat(BackendServicesTokens.unreadableTypes("system/Patient.rs system/Condition.read system/Observation.s"))
        .containsExactly("Observation", "MedicationRequest", "MedicationStatement", "AllergyIntolerance");
    assertThat(BackendServicesTokens.unreadableTypes("bulk-export")).isEmpty();
  }

  @Test
  void theTokenGoesOnlyToTheServersOriginOrElsewhereOverHttps() {
    URI base = URI.create("http://ehr.example.org:8080/fhir/$export");
    assertThat(BulkExportClient.tokenMayGoTo(base, URI.create("http://ehr.example.org:8080/files/1.ndjson"))).isTrue();
    assertThat(BulkExportClient.tokenMayGoTo(base, URI.create("https://store.example.net/1.ndjson"))).isTrue();
    assertThat(BulkExportClient.tokenMayGoTo(base, URI.create("http://store.example.net/1.ndjson"))).isFalse();
    assertThat(BulkExportClient.tokenMayGoTo(base, URI.create("http://ehr.example.org:9090/1.ndjson"))).isFalse();
    assertThat(BulkExportClient.tokenMayGoTo(URI.create("https://ehr.example.org/fhir"),
        URI.create("https://ehr.example.org:443/files/1"))).isTrue();
  }

  @Test
  void theObservationFilterAsksForLocalCodesOfEverySystemInTokenSyntax() {
    ValueSetTerminology terminology = ValueSetTerminology.load(new LocalCodes(List.of(
        new LocalCodes.LocalCode(ValueSetId.OBSERVATION_CODES, new Code("urn:oid:1.2.3.local-lab", "BP,SYS", null),
            ValueSetTerminology.loadDefault().groups(ValueSetId.OBSERVATION_CODES).iterator().next(), "test"),
        new LocalCodes.LocalCode(ValueSetId.HCG_TESTS, new Code("urn:oid:1.2.3.local-lab", "HCG1", null),
            ValueSetTerminology.loadDefault().groups(ValueSetId.HCG_TESTS).iterator().next(), "test"))));

    String filter = RulesExport.observationFilter(terminology, RuleSettings.defaults(), LocalDate.of(2026, 6, 1));

    assertThat(filter).contains("http://loinc.org|8480-6", "urn:oid:1.2.3.local-lab|BP\\,SYS",
        "urn:oid:1.2.3.local-lab|HCG1");
  }

  @Test
  void theDefaultScopeReadsExactlyThoseTypesInSmartV2Form() {
    assertThat(RulesExport.defaultScope()).isEqualTo("system/Patient.rs system/Condition.rs system/Observation.rs "
        + "system/MedicationRequest.rs system/MedicationStatement.rs system/AllergyIntolerance.rs "
        + "system/Medication.rs");
  }

  @Test
  void theObservationFilterHasTheRulesCodesAndTheLongestWindow() {
    String filter = RulesExport.observationFilter(ValueSetTerminology.loadDefault(), RuleSettings.defaults(),
        LocalDate.of(2026, 6, 1));
    assertThat(filter).startsWith("Observation?code=http://loinc.org|")
        .contains("http://loinc.org|8480-6", "http://loinc.org|72514-3", "http://loinc.org|1742-6")
        .endsWith("&date=ge2025-05-31");
  }

  @Test
  void theKickOffUrlPerLevelCarriesTheEncodedParameters() {
    URI base = URI.create("https://ehr.example.org/fhir");
    ExportRequest group = new ExportRequest(base, ExportLevel.GROUP, "pain-clinic", List.of("Patient", "Condition"),
        "Observation?code=http://loinc.org|8480-6&date=ge2025-05-31");
    assertThat(group.endpoint()).hasToString("https://ehr.example.org/fhir/Group/pain-clinic/$export");
    assertThat(group.kickOffUrl().toString()).isEqualTo("https://ehr.example.org/fhir/Group/pain-clinic/$export"
        + "?_type=Patient%2CCondition&_typeFilter=Observation%3Fcode%3Dhttp%3A%2F%2Floinc.org%7C8480-6%26date%3Dge"
        + "2025-05-31");
    assertThat(group.withoutTypeFilter().kickOffUrl().getQuery()).isEqualTo("_type=Patient,Condition");
    assertThat(group.withoutTypes().kickOffUrl().getQuery()).isNull();
    assertThat(new ExportRequest(base, ExportLevel.SYSTEM, null, List.of(), null).endpoint())
        .hasToString("https://ehr.example.org/fhir/$export");
    assertThat(new ExportRequest(URI.create("https://ehr.example.org/fhir/"), ExportLevel.PATIENT, null, List.of(),
        null).endpoint()).hasToString("https://ehr.example.org/fhir/Patient/$export");
  }
}
