package org.ketamineadvisor.advisor.fhir.files;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

/**
 * The second half of reading files, for one patient: its kept resources (raw JSON, in the order the files hold them)
 * parsed with HAPI into {@link PatientResources}, with the Medications they cite from the {@link MedicationStash}.
 * {@link FhirFileReader} calls it patient by patient; the Spark job calls it on the executor that holds the patient.
 * Not thread-safe (one HAPI parser with its issue collector): one per thread.
 */
public final class PatientParser {

  private final IParser parser;
  private final ParseIssues issues = new ParseIssues();

  public PatientParser(FhirContext ctx) {
    parser = ctx.newJsonParser();
    parser.setParserErrorHandler(issues);
  }

  /** One patient after HAPI parsing: its resources (null if it cannot be handed on) and what went wrong. */
  public record ParsedPatient(PatientResources resources, List<InputProblem> problems) {
  }

  /**
   * Parses {@code spooled}, the resources that refer to {@code patientId} in file order (a resource found twice, in
   * a Bundle and an NDJSON export, is read once); without a readable Patient resource nobody is handed on and a
   * problem says so.
   */
  public ParsedPatient parse(String patientId, List<SpooledResource> spooled, MedicationStash medications) {
    List<InputProblem> problems = new ArrayList<>();
    Patient patient = null;
    List<Resource> resources = new ArrayList<>();
    List<String> fullUrls = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> files = new LinkedHashSet<>();
    List<String[]> medicationReferences = new ArrayList<>();
    for (SpooledResource r : spooled) {
      // the same resource in two inputs (a Bundle and an NDJSON export) is read once
      if (!seen.add(identity(r))) {
        continue;
      }
      Resource parsed = parse(r, problems);
      if (parsed == null) {
        continue;
      }
      files.add(r.file());
      if (parsed instanceof Patient p) {
        if (patient == null) {
          patient = p;
        }
        continue;
      }
      resources.add(parsed);
      fullUrls.add(r.fullUrl());
      String reference = medicationReference(parsed);
      if (reference != null) {
        medicationReferences.add(new String[] {r.file(), reference});
      }
    }
    if (patient == null) {
      problems.add(new InputProblem(spooled.get(0).location(), spooled.size() + " resource(s) such as "
          + spooled.get(0).label() + " refer to patient '" + patientId + "' but no input holds Patient/" + patientId
          + "; skipped them (add that patient's Patient resource to the input)"));
      return new ParsedPatient(null, problems);
    }
    for (String[] reference : medicationReferences) {
      SpooledResource medication = medications.find(reference[0], reference[1]);
      if (medication != null && seen.add(identity(medication))) {
        Resource parsed = parse(medication, problems);
        if (parsed != null) {
          resources.add(parsed);
          fullUrls.add(medication.fullUrl());
        }
      }
    }
    return new ParsedPatient(new PatientResources(patientId, patient, resources, fullUrls, String.join(", ", files)),
        problems);
  }

  private static String identity(SpooledResource r) {
    if (r.id() != null) {
      return r.resourceType() + "/" + r.id();
    }
    return r.fullUrl() != null ? r.fullUrl() : r.location() + "#" + System.identityHashCode(r);
  }

  private static String medicationReference(Resource resource) {
    Type medication = resource instanceof MedicationRequest request ? request.getMedication()
        : resource instanceof MedicationStatement statement ? statement.getMedication() : null;
    return medication instanceof Reference reference && reference.hasReference()
        && !reference.getReference().startsWith("#") ? reference.getReference() : null;
  }

  /** The parsed resource, or null (reported to {@code problems}) when HAPI cannot read it. */
  private Resource parse(SpooledResource r, List<InputProblem> problems) {
    issues.drain();
    IBaseResource parsed;
    try {
      parsed = parser.parseResource(r.json());
    } catch (DataFormatException e) {
      problems.add(new InputProblem(r.location(), r.label() + " could not be read as FHIR R4 ("
          + e.getMessage() + "); skipped"));
      return null;
    }
    List<String> found = issues.drain();
    if (!found.isEmpty()) {
      problems.add(new InputProblem(r.location(), r.label() + ": " + String.join("; ", found)
          + " (the rest of it was read; check that it is FHIR R4)"));
    }
    return (Resource) parsed;
  }
}
