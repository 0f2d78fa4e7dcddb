package org.ketamineadvisor.advisor.fhir.writing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Validates resources against the base R4 specification and the app's conformance resources
 * (fhir-profiles/: StructureDefinitions, CodeSystems, ValueSets). Building one loads and snapshots the
 * whole R4 core package and takes seconds: build it once and share it (it is thread-safe).
 * Codes of external code systems the validator cannot know offline (SNOMED CT, RxNorm, LOINC,
 * ICD-10-CM) are reported as warnings, not errors; every other problem stays an error.
 */
public final class ProfileValidator {
  /** The classpath folder the build copies the repository's fhir-profiles/ into. */
  public static final String CLASSPATH_FOLDER = "fhir-profiles";

  private final FhirContext fhirContext;
  private final FhirValidator validator;
  private final List<IBaseResource> conformanceResources;

  private ProfileValidator(FhirContext fhirContext, List<IBaseResource> conformanceResources) {
    this.fhirContext = fhirContext;
    this.conformanceResources = List.copyOf(conformanceResources);
    PrePopulatedValidationSupport own = new PrePopulatedValidationSupport(fhirContext);
    for (IBaseResource r : conformanceResources) {
      if (r instanceof StructureDefinition || r instanceof CodeSystem || r instanceof ValueSet) {
        own.addResource(r);
      }
    }
    UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(fhirContext);
    unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(fhirContext),
        own,
        new CommonCodeSystemsTerminologyService(fhirContext),
        new InMemoryTerminologyServerValidationSupport(fhirContext),
        new SnapshotGeneratingValidationSupport(fhirContext),
        unknownSystems);
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    this.validator = fhirContext.newValidator().registerValidatorModule(module);
  }

  /** A validator loaded with every JSON resource directly in the classpath folder {@code fhir-profiles/}. */
  public static ProfileValidator fromClasspath(FhirContext fhirContext) {
    IParser parser = fhirContext.newJsonParser();
    List<IBaseResource> resources = new ArrayList<>();
    try {
      Resource[] found = new PathMatchingResourcePatternResolver()
          .getResources("classpath*:" + CLASSPATH_FOLDER + "/*.json");
      Stream.of(found).sorted(Comparator.comparing(Resource::getFilename)).forEach(r -> {
        try (InputStream in = r.getInputStream()) {
          resources.add(parse(parser, new String(in.readAllBytes(), StandardCharsets.UTF_8), r.getDescription()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + r.getDescription(), e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the classpath folder " + CLASSPATH_FOLDER
          + ": is fhir-profiles/ packaged with the app?", e);
    }
    return new ProfileValidator(fhirContext, resources);
  }

  /** A validator loaded with every JSON resource directly in {@code directory} (e.g. the repository's fhir-profiles/). */
  public static ProfileValidator fromDirectory(FhirContext fhirContext, Path directory) {
    IParser parser = fhirContext.newJsonParser();
    List<IBaseResource> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        resources.add(parse(parser, Files.readString(file), file.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the conformance resources in " + directory, e);
    }
    return new ProfileValidator(fhirContext, resources);
  }

  private static IBaseResource parse(IParser parser, String json, String where) {
    try {
      return parser.parseResource(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot parse the conformance resource " + where + ": " + e.getMessage()
          + " (fix or remove the file)", e);
    }
  }

  /** The ERROR and FATAL messages for {@code resource}; empty when it is valid. */
  public List<SingleValidationMessage> errors(IBaseResource resource) {
    return validator.validateWithResult(resource).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .toList();
  }

  /** Every message, warnings and information included (for diagnosis). */
  public List<SingleValidationMessage> messages(IBaseResource resource) {
    return validator.validateWithResult(resource).getMessages();
  }

  /** The conformance resources this validator was loaded with. */
  public List<IBaseResource> conformanceResources() {
    return conformanceResources;
  }

  public FhirContext fhirContext() {
    return fhirContext;
  }
}
