package org.ketamineadvisor.advisor.fhir.files;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ketamineadvisor.advisor.terminology.Code;

/**
 * The screening's first pass over exported files: who the patients are and which codes their Conditions carry,
 * read with Jackson tokens only (no HAPI, no tree). An NDJSON line of any other type is dropped as soon as its
 * {@code resourceType} is read, so a large Observation line is not even tokenised. Reads the files exactly as
 * {@link FhirFileReader} does (the same {@link FhirFileScanner}: folders, .gz, BOM, Bundles, urn:uuid subjects),
 * and reports nothing: the reader's pass reports every problem once.
 */
public final class FhirFileCensus {

  /** What the census tells, resource by resource, in input order. */
  public interface Listener {

    /** A Patient resource, under the id the reader would use (its id, or its urn:uuid fullUrl in a Bundle). */
    void patient(String patientId);

    /** A Condition of that patient (resolved as the reader resolves it) with its non-blank codings, as written. */
    void condition(String patientId, List<Code> codings);

    /** Any resource found, of whatever type, read or not: for counting what the export holds. */
    default void resourceFound() {
    }
  }

  private final Set<String> knownTypes;

  public FhirFileCensus(FhirContext ctx) {
    this.knownTypes = Set.copyOf(ctx.getResourceTypes());
  }

  /** Reads every input (files or folders, as {@link FhirFileReader#read}) and tells {@code listener}. */
  public void count(List<Path> inputs, Listener listener) {
    Consumer<InputProblem> silent = problem -> { };
    FhirFileScanner scanner = new FhirFileScanner(knownTypes, new CensusTarget(listener), silent);
    for (Path file : FhirFileReader.files(inputs, silent)) {
      scanner.scan(FhirInputFile.of(file));
    }
  }

  /** Reads one file and tells {@code listener}: the census of a part of the export (a Spark task's file). */
  public void count(FhirInputFile file, Listener listener) {
    new FhirFileScanner(knownTypes, new CensusTarget(listener), problem -> { }).scan(file);
  }

  /** Reads Patients' ids and Conditions' subjects and codes; every other type only up to its resourceType. */
  private record CensusTarget(Listener listener) implements ScanTarget {

    @Override
    public ResourceHeader.Need need(String type) {
      return switch (type) {
        case "Patient" -> ResourceHeader.Need.ID;
        case "Condition" -> ResourceHeader.Need.REFERENCE_AND_CODE;
        default -> ResourceHeader.Need.TYPE;
      };
    }

    @Override
    public void patientResource(String patientId, ResourceHeader header, Supplier<SpooledResource> resource) {
      if ("Patient".equals(header.resourceType())) {
        listener.patient(patientId);
      } else {
        listener.condition(patientId, header.codings());
      }
    }

    @Override
    public void resourceFound() {
      listener.resourceFound();
    }

    @Override
    public void medication(SpooledResource medication, boolean inBundle) {
      // never asked for: the census reads Medications only up to their type
    }
  }
}
