package org.ketamineadvisor.advisor.fhir.writing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.ProtocolId;

/** The conformance resources in fhir-profiles/ are valid and list exactly the app's codes. */
class ConformanceResourcesTest {
  private static final IParser JSON = SharedValidator.FHIR.newJsonParser().setPrettyPrint(true);

  @BeforeAll
  static void regenerateWhenAsked() throws IOException {
    if (!SharedValidator.updateGolden()) {
      return;
    }
    for (CodeSystem cs : OwnTerminology.codeSystemResources()) {
      Files.writeString(SharedValidator.PROFILES.resolve("CodeSystem-" + cs.getIdPart() + ".json"),
          JSON.encodeResourceToString(cs) + "\n");
    }
    for (ValueSet vs : OwnTerminology.valueSetResources()) {
      Files.writeString(SharedValidator.PROFILES.resolve("ValueSet-" + vs.getIdPart() + ".json"),
          JSON.encodeResourceToString(vs) + "\n");
    }
  }

  private static CodeSystem codeSystem(String id) throws IOException {
    return JSON.parseResource(CodeSystem.class,
        Files.readString(SharedValidator.PROFILES.resolve("CodeSystem-" + id + ".json")));
  }

  private static List<String> codes(String id) throws IOException {
    return codeSystem(id).getConcept().stream().map(CodeSystem.ConceptDefinitionComponent::getCode).toList();
  }

  @Test
  void codeSystemsListExactlyTheEnumConstants() throws IOException {
    assertThat(codes("ketamine-rule")).containsExactlyElementsOf(Arrays.stream(RuleId.values()).map(RuleId::id).toList());
    assertThat(codes("ketamine-verdict")).containsExactlyElementsOf(
        Arrays.stream(Verdict.values()).map(Verdict::code).toList());
    assertThat(codes("ketamine-risk")).containsExactlyElementsOf(Arrays.stream(Risk.values()).map(Risk::code).toList());
    assertThat(codes("ketamine-protocol")).containsExactlyElementsOf(
        Arrays.stream(ProtocolId.values()).map(ProtocolId::id).toList());
  }

  @Test
  void everyOwnCodeSystemMatchesWhatTheCodeDefines() throws IOException {
    for (var entry : OwnTerminology.codeSystems().entrySet()) {
      CodeSystem cs = codeSystem(entry.getKey());
      assertThat(cs.getConcept()).as(entry.getKey()).extracting(c -> c.getCode() + " = " + c.getDisplay())
          .containsExactlyElementsOf(entry.getValue().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()[0])
              .toList());
      assertThat(cs.getCount()).isEqualTo(entry.getValue().size());
    }
  }

  static Stream<Path> conformanceFiles() throws IOException {
    try (Stream<Path> files = Files.list(SharedValidator.PROFILES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conformanceFiles")
  void everyConformanceResourceIsValid(Path file) throws IOException {
    IBaseResource resource = JSON.parseResource(Files.readString(file));
    List<SingleValidationMessage> errors = SharedValidator.get().errors(resource);
    assertThat(errors).as(file + ": " + GoldenBundlesTest.describe(errors)).isEmpty();
  }
}
