package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueSetTerminologyTest {

  static final String SNOMED = "http://snomed.info/sct";
  static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final String LOINC = "http://loinc.org";

  static ValueSetTerminology terminology;

  @BeforeAll
  static void load() {
    terminology = ValueSetTerminology.loadDefault();
  }

  static Concept coded(String system, String code) {
    return Concept.of(new Code(system, code, null));
  }

  static Concept text(String text) {
    return new Concept(List.of(), text);
  }

  @Test
  void loadsEveryValueSetWithTheRowCountOfItsTsv() throws IOException {
    Path dir = TerminologyDir.locate();
    for (ValueSetId id : ValueSetId.values()) {
      long rows;
      try (var lines = Files.lines(dir.resolve(id.id() + ".tsv"))) {
        rows = lines.skip(1).filter(l -> !l.isEmpty()).count();
      }
      assertThat(terminology.size(id)).as(id.id()).isEqualTo(rows).isPositive();
    }
  }

  /** CDS Hooks shows its card only for a ketamine order: by the drug's code, or one ingredient of the product. */
  @Test
  void anOrderIsKetamineByItsDrugOrAnIngredient() {
    Concept ketamine = coded(RXNORM, "6130");
    Concept aProduct = coded(RXNORM, "1049221"); // not in the ketamine value set
    assertThat(terminology.isKetamine(ketamine, List.of())).isTrue();
    assertThat(terminology.isKetamine(aProduct, List.of(ketamine))).isTrue();
    assertThat(terminology.isKetamine(aProduct, List.of())).isFalse();
    assertThat(terminology.isKetamine(Concept.EMPTY, List.of(Concept.EMPTY))).isFalse();
  }

  @Test
  void icd10cmMatchesWithOrWithoutTheDotInAnyCase() {
    for (String code : List.of("F20.0", "F200", "f20.0", "f200")) {
      Optional<CodeMatch> match = terminology.match(ValueSetId.PSYCHOTIC_DISORDERS, coded(ICD, code));
      assertThat(match).as(code).isPresent();
      assertThat(match.get().group()).isEqualTo("schizophrenia");
      assertThat(match.get().matchedCode()).isEqualTo(new Code(ICD, "F20.0", "Paranoid schizophrenia"));
      assertThat(match.get().byName()).isFalse();
    }
    assertThat(terminology.contains(ValueSetId.HYPERTENSION, coded(ICD, "i10"))).isTrue();
    assertThat(terminology.contains(ValueSetId.PSYCHOTIC_DISORDERS, coded(ICD, "F20.00"))).isFalse();
  }

  @Test
  void otherSystemsMatchExactlyAndOnlyInTheirOwnSystem() {
    assertThat(terminology.contains(ValueSetId.HCG_TESTS, coded(LOINC, "2106-3"))).isTrue();
    assertThat(terminology.contains(ValueSetId.HCG_TESTS, coded(LOINC, "21063"))).isFalse();
    // the same digits in another system are another concept
    assertThat(terminology.contains(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, coded(RXNORM, "128200000"))).isFalse();
    assertThat(terminology.contains(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, coded(null, "128200000"))).isFalse();
  }

  @Test
  void snomedCrpsCodeHasGroupCrps() {
    Concept crps = Concept.of(new Code(SNOMED, "128200000", "CRPS as the record words it"));
    CodeMatch match = terminology.match(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, crps).orElseThrow();
    assertThat(match.group()).isEqualTo("crps");
    assertThat(match.matchedCode().display()).isEqualTo("Complex regional pain syndrome (disorder)");
    assertThat(match.valueSet()).isEqualTo(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS);
  }

  @Test
  void theFirstMatchingCodingWins() {
    Concept concept =
        Concept.of(new Code(SNOMED, "1", "not in the set"), new Code(ICD, "G90.50", null), new Code(SNOMED, "128200000", null));
    assertThat(terminology.match(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, concept).orElseThrow().matchedCode().code())
        .isEqualTo("G90.50");
  }

  @Test
  void opioidProductCodeHasItsIngredientAsGroup() {
    Concept endocet = Concept.of(new Code(RXNORM, "1049223", null));
    CodeMatch match = terminology.match(ValueSetId.OPIOIDS, endocet).orElseThrow();
    assertThat(match.group()).isEqualTo("oxycodone");
    assertThat(match.byName()).isFalse();
    assertThat(terminology.groups(ValueSetId.OPIOIDS)).hasSize(29).contains("oxycodone", "morphine", "tramadol");
  }

  @Test
  void observationCodesCarryTheirKind() {
    assertThat(terminology.group(ValueSetId.OBSERVATION_CODES, coded(LOINC, "8480-6"))).contains("systolic");
    assertThat(terminology.group(ValueSetId.OBSERVATION_CODES, coded(LOINC, "29463-7"))).contains("body-weight");
  }

  @Test
  void ingredientNameInTextOrDisplayMatchesAsWholeWord() {
    CodeMatch byText = terminology.match(ValueSetId.OPIOIDS, text("Oxycodone 5 MG Oral Tablet")).orElseThrow();
    assertThat(byText.byName()).isTrue();
    assertThat(byText.group()).isEqualTo("oxycodone");
    assertThat(byText.matchedCode()).isEqualTo(new Code(null, "oxycodone", "Oxycodone 5 MG Oral Tablet"));
    assertThat(byText.describe()).isEqualTo("'Oxycodone 5 MG Oral Tablet' matched by name");

    Concept localCodeWithDisplay = Concept.of(new Code("urn:local:drugs", "X1", "Acetaminophen/CODEINE 300-30 tab"));
    assertThat(terminology.group(ValueSetId.OPIOIDS, localCodeWithDisplay)).contains("codeine");
    assertThat(terminology.group(ValueSetId.XANTHINES, text("theophylline ER 300 mg"))).contains("theophylline");
  }

  @Test
  void ingredientNameInsideAnotherWordDoesNotMatch() {
    assertThat(terminology.match(ValueSetId.OPIOIDS, text("hydroxycodone 5 mg"))).isEmpty();
    assertThat(terminology.match(ValueSetId.OPIOIDS, text("oxycodones"))).isEmpty();
    // dihydrocodeine is its own name: it must not be reported as codeine
    assertThat(terminology.group(ValueSetId.OPIOIDS, text("Dihydrocodeine 30 mg"))).contains("dihydrocodeine");
    // the epinephrine auto-injector is deliberately not a sympathomimetic; "norepinephrine" must not match it
    assertThat(terminology.match(ValueSetId.SYMPATHOMIMETICS, text("Epinephrine 0.3 MG Auto-Injector"))).isEmpty();
    assertThat(terminology.group(ValueSetId.SYMPATHOMIMETICS, text("Pseudoephedrine 60 MG"))).contains("pseudoephedrine");
  }

  @Test
  void valueSetsWithoutNamesHaveNoTextFallback() {
    assertThat(terminology.match(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, text("Complex regional pain syndrome"))).isEmpty();
    assertThat(terminology.ingredientNames(ValueSetId.NEUROPATHIC_PAIN_INDICATIONS)).isEmpty();
    assertThat(terminology.ingredientNames(ValueSetId.KETAMINE)).containsExactly("esketamine", "ketamine");
  }

  @Test
  void localCodesAddACodeToAValueSet(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("local.tsv");
    Files.writeString(
        file,
        LocalCodes.HEADER + "\n"
            + "# newer ICD-10-CM code\n"
            + "arrhythmia\thttp://hl7.org/fhir/sid/icd-10-cm\tI47.20\tVentricular tachycardia, unspecified\tarrhythmia\n"
            + "opioids\turn:oid:1.2.3\tOXY5\t\toxycodone\n");
    ValueSetTerminology withLocal = ValueSetTerminology.load(LocalCodes.read(file));

    assertThat(terminology.contains(ValueSetId.ARRHYTHMIA, coded(ICD, "I47.20"))).isFalse();
    CodeMatch match = withLocal.match(ValueSetId.ARRHYTHMIA, coded(ICD, "I4720")).orElseThrow();
    assertThat(match.group()).isEqualTo("arrhythmia");
    assertThat(match.matchedCode().display()).isEqualTo("Ventricular tachycardia, unspecified");
    assertThat(withLocal.group(ValueSetId.OPIOIDS, coded("urn:oid:1.2.3", "OXY5"))).contains("oxycodone");
    assertThat(withLocal.size(ValueSetId.ARRHYTHMIA)).isEqualTo(terminology.size(ValueSetId.ARRHYTHMIA) + 1);
  }

  @Test
  void localCodeWithAnUnknownGroupIsRejectedNamingTheLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("local.tsv");
    Files.writeString(file, LocalCodes.HEADER + "\nneuropathic-pain-indications\thttp://snomed.info/sct\t123\tx\tCRPS\n");
    LocalCodes codes = LocalCodes.read(file);
    assertThatThrownBy(() -> ValueSetTerminology.load(codes))
        .hasMessageContaining("local.tsv line 2")
        .hasMessageContaining("'CRPS'")
        .hasMessageContaining("crps");
  }

  @Test
  void aMissingValueSetFileIsNamedInTheError() {
    assertThatThrownBy(
            () ->
                ValueSetTerminology.load(
                    LocalCodes.none(),
                    resource -> resource.endsWith("ValueSet-glaucoma.json") ? null : ValueSetTerminology.class.getResourceAsStream(resource)))
        .hasMessageContaining("/fhir-profiles/ValueSet-glaucoma.json")
        .hasMessageContaining("not on the classpath");
  }

  @Test
  void aBrokenValueSetFileIsNamedInTheError() {
    assertThatThrownBy(
            () ->
                ValueSetTerminology.load(
                    LocalCodes.none(),
                    resource ->
                        resource.endsWith("ValueSet-maois.json")
                            ? new java.io.ByteArrayInputStream("{\"resourceType\": \"ValueSet\", ".getBytes())
                            : ValueSetTerminology.class.getResourceAsStream(resource)))
        .hasMessageContaining("/fhir-profiles/ValueSet-maois.json")
        .hasMessageContaining("not valid JSON");
  }
}
