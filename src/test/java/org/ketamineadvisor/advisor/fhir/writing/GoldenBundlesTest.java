package org.ketamineadvisor.advisor.fhir.writing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.careplan.AnAssessment.anAssessment;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.IndicationGroup;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.PlanRequest;

/**
 * Builds the write-back Bundle for hand-made assessments, compares it with the stored JSON in
 * src/test/resources/golden/ (regenerate with -Dgolden.update=true) and validates every resource.
 */
class GoldenBundlesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final Path EXAMPLES = SharedValidator.PROFILES.resolve("examples");
  static final Instant SIGNED_AT = Instant.parse("2026-06-01T14:30:00Z");
  private static final IParser JSON = SharedValidator.FHIR.newJsonParser().setPrettyPrint(true);

  static Assessment contraindicated() {
    return anAssessment().patient("p-psychosis").verdict(Verdict.CONTRAINDICATED)
        .met(RuleId.CI_PSYCHOSIS, "Condition/schizophrenia-2019").unknown(RuleId.DATA_PAIN_BASELINE)
        .met(RuleId.INT_BENZODIAZEPINE, "MedicationRequest/lorazepam")
        .risk(Risk.PSYCHOTOMIMETIC, Risk.Level.HIGH).risk(Risk.RESPIRATORY_DEPRESSION, Risk.Level.MODERATE).build();
  }

  static Assessment crpsWithPrecautions() {
    return anAssessment().patient("p-crps").female().born(LocalDate.of(1990, 3, 3))
        .verdict(Verdict.SUITABLE_WITH_PRECAUTIONS).group(IndicationGroup.CRPS, "Condition/crps-left-arm")
        .weight("80.0").met(RuleId.PR_HYPERTENSION, "Condition/essential-htn", "Observation/bp-0528")
        .met(RuleId.INT_OPIOID, "MedicationRequest/oxycodone").met(RuleId.INT_CNS_DEPRESSANT, "MedicationRequest/pregabalin")
        .risk(Risk.CARDIOVASCULAR, Risk.Level.MODERATE).risk(Risk.RESPIRATORY_DEPRESSION, Risk.Level.MODERATE).build();
  }

  static Assessment needsInformationDraft() {
    return anAssessment().patient("p-draft").verdict(Verdict.NEEDS_INFORMATION).weight("71.4")
        .unknown(RuleId.DATA_BP).met(RuleId.PR_HEPATIC, "Condition/hepatitis-c")
        .unknown(RuleId.DATA_LFT, "Condition/hepatitis-c")
        .attested(RuleId.IND_PRIOR_THERAPY, Outcome.MET, "Practitioner/dr-2",
            "Duloxetine tried at another clinic, no effect", Instant.parse("2026-06-01T09:15:00Z"))
        .risk(Risk.HEPATOTOXICITY, Risk.Level.MODERATE).build();
  }

  static Assessment spinalCordInjury() {
    return anAssessment().patient("p-sci").verdict(Verdict.SUITABLE).group(IndicationGroup.CENTRAL, "Condition/sci-pain")
        .weight("95.25").build();
  }

  record Case(String name, Assessment assessment, WriteBackContext ctx) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final WriteBackContext SIGNED = new WriteBackContext("Practitioner/dr-1", SIGNED_AT, true, "0.1.0");
  static final WriteBackContext CLI = new WriteBackContext(null, SIGNED_AT, false, "0.1.0");

  static Stream<Case> cases() {
    return Stream.of(new Case("contraindicated", contraindicated(), CLI),
        new Case("crps-suitable-with-precautions-signed", crpsWithPrecautions(), SIGNED),
        new Case("needs-information-draft", needsInformationDraft(), CLI),
        new Case("sci-suitable", spinalCordInjury(), CLI));
  }

  static Bundle build(Case c) {
    Optional<InfusionPlan> plan = new InfusionPlanner().propose(c.assessment(), PlanRequest.defaults());
    return new WriteBackBundleBuilder().build(c.assessment(), plan, c.ctx());
  }

  static String describe(List<SingleValidationMessage> messages) {
    return messages.stream().map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
        .collect(Collectors.joining("\n", "\n", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bundleMatchesTheGoldenFile(Case c) throws IOException {
    String json = JSON.encodeResourceToString(build(c)) + "\n";
    Path golden = GOLDEN.resolve(c.name() + ".json");
    if (SharedValidator.updateGolden()) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, json);
    }
    assertThat(json).as("regenerate with -Dgolden.update=true if the change is intended").isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyWrittenResourceIsValid(Case c) {
    Bundle bundle = build(c);
    assertThat(SharedValidator.get().errors(bundle)).as(() -> describe(SharedValidator.get().errors(bundle))).isEmpty();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      List<SingleValidationMessage> errors = SharedValidator.get().errors(e.getResource());
      assertThat(errors).as(e.getResource().fhirType() + describe(errors)).isEmpty();
    }
  }

  /** fhir-profiles/examples/ holds the signed CRPS case as standalone resources with relative references. */
  @Test
  void examplesAreTheSignedCrpsCaseAndValid() throws IOException {
    Bundle bundle = build(cases().filter(c -> c.name().startsWith("crps")).findFirst().orElseThrow());
    String json = JSON.encodeResourceToString(bundle);
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      String uuid = e.getFullUrl().substring("urn:uuid:".length());
      json = json.replace(e.getFullUrl(), e.getResource().fhirType() + "/" + uuid);
    }
    Bundle relative = JSON.parseResource(Bundle.class, json);
    for (Bundle.BundleEntryComponent e : relative.getEntry()) {
      Resource r = e.getResource();
      r.setId(e.getFullUrl().substring("urn:uuid:".length()));
      Path file = EXAMPLES.resolve(r.fhirType() + "-example.json");
      String expected = JSON.encodeResourceToString(r) + "\n";
      if (SharedValidator.updateGolden()) {
        Files.createDirectories(EXAMPLES);
        Files.writeString(file, expected);
      }
      assertThat(Files.readString(file)).as(file + " (regenerate with -Dgolden.update=true)").isEqualTo(expected);
      Resource stored = (Resource) JSON.parseResource(Files.readString(file));
      List<SingleValidationMessage> errors = SharedValidator.get().errors(stored);
      assertThat(errors).as(file + describe(errors)).isEmpty();
    }
  }
}
