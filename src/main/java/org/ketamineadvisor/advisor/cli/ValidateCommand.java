package org.ketamineadvisor.advisor.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.ketamineadvisor.advisor.fhir.writing.ProfileValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code validate}: checks FHIR R4 JSON (a resource, or each resource of a Bundle, e.g. what {@code assess
 * --emit-fhir} wrote) against the base specification and the app's profiles in fhir-profiles/, as the tests do.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Validates FHIR R4 JSON files (a resource, or every resource in a Bundle) against the base "
        + "specification and the app's profiles (fhir-profiles/), and prints one line per resource.",
        "Exit status: 0 every resource is valid; 2 a file could not be read, or a resource has errors (listed)."})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "FHIR R4 JSON files.")
  List<Path> files;

  private final PrintWriter out;
  private final PrintWriter err;

  ValidateCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    FhirContext fhir = FhirContext.forR4Cached();
    ProfileValidator validator = ProfileValidator.fromClasspath(fhir);
    boolean allValid = true;
    for (Path file : files) {
      IBaseResource parsed;
      try {
        parsed = fhir.newJsonParser().parseResource(Files.readString(file));
      } catch (IOException e) {
        // Java's message is often the bare path (or "Input length = 1"): say what is wrong with the file
        err.println("error: " + (e instanceof java.nio.file.FileSystemException ? CommandLine.failure(e)
            : file + ": cannot be read (" + (e instanceof java.nio.charset.CharacterCodingException
                ? "not UTF-8 text" : e.getMessage()) + ")"));
        allValid = false;
        continue;
      } catch (DataFormatException e) {
        err.println("error: " + file + ": not FHIR R4 JSON");
        allValid = false;
        continue;
      }
      List<IBaseResource> resources = new ArrayList<>();
      if (parsed instanceof Bundle bundle) {
        bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
            .forEach(e -> resources.add(e.getResource()));
      } else {
        resources.add(parsed);
      }
      for (IBaseResource resource : resources) {
        String name = resource.fhirType() + (resource.getIdElement().hasIdPart()
            ? "/" + resource.getIdElement().getIdPart() : "");
        List<SingleValidationMessage> errors = validator.errors(resource);
        if (errors.isEmpty()) {
          out.println("valid: " + file + ": " + name);
        } else {
          allValid = false;
          for (SingleValidationMessage m : errors) {
            err.println("invalid: " + file + ": " + name + " at " + m.getLocationString() + ": " + m.getMessage());
          }
        }
      }
    }
    out.flush();
    return allValid ? ExitStatus.OK : ExitStatus.UNREADABLE;
  }
}
