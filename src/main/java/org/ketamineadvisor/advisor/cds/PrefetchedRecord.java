package org.ketamineadvisor.advisor.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;

/**
 * A patient's record as a hook request's {@code prefetch} carries it (the keys {@link CdsDiscovery} asks for), with
 * what could not be read: a prefetched search that cannot be parsed is a read problem of its type, so the rules that
 * need it are unknown rather than falsely absent.
 *
 * @param resources the record; null when the Patient itself is missing or unreadable
 * @param problems the types that could not be read, for the rules
 * @param unread the same, in the card's words
 */
record PrefetchedRecord(PatientResources resources, List<ReadProblem> problems, List<String> unread) {

  /** Prefetch key → the resource type the rules read from it. */
  static final Map<String, String> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put("patient", "Patient");
    TYPES.put("conditions", "Condition");
    TYPES.put("medicationRequests", "MedicationRequest");
    TYPES.put("medicationStatements", "MedicationStatement");
    TYPES.put("observations", "Observation");
    TYPES.put("allergies", "AllergyIntolerance");
  }

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  PrefetchedRecord {
    problems = List.copyOf(problems);
    unread = List.copyOf(unread);
  }

  /** The prefetch keys the request lacks (absent or null), in the order of {@link #TYPES}. */
  static List<String> missingKeys(JsonNode prefetch) {
    List<String> missing = new ArrayList<>();
    TYPES.forEach((key, type) -> {
      if (!prefetch.has(key) || prefetch.get(key).isNull()) {
        missing.add(key);
      }
    });
    return missing;
  }

  /** What {@code prefetch} holds of the record of {@code patientId}. */
  static PrefetchedRecord of(JsonNode prefetch, String patientId) {
    Patient patient = null;
    List<Resource> resources = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : TYPES.entrySet()) {
      JsonNode node = prefetch.get(e.getKey());
      if (node == null || node.isNull()) {
        continue;
      }
      try {
        Resource parsed = (Resource) FHIR.newJsonParser().parseResource(node.toString());
        if (parsed instanceof Patient p) {
          patient = p;
        } else if (parsed instanceof Bundle b) {
          b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null)
              .forEach(resources::add);
        } else {
          resources.add(parsed);
        }
      } catch (RuntimeException bad) {
        problems.add(new ReadProblem(e.getValue(), "the prefetched " + e.getKey() + " could not be parsed"));
      }
    }
    if (patient == null) {
      return new PrefetchedRecord(null, problems, List.of("the prefetched Patient could not be read"));
    }
    return new PrefetchedRecord(new PatientResources(patientId, patient, resources, null, "CDS Hooks prefetch"),
        problems, problems.stream().map(PrefetchedRecord::words).toList());
  }

  /** The same record with more resources, and more that could not be read. */
  PrefetchedRecord with(List<Resource> all, List<ReadProblem> moreProblems, List<String> moreUnread) {
    PatientResources completed = new PatientResources(resources.patientId(), resources.patient(), all, null,
        resources.source());
    List<ReadProblem> p = new ArrayList<>(problems);
    p.addAll(moreProblems);
    List<String> u = new ArrayList<>(unread);
    u.addAll(moreUnread);
    return new PrefetchedRecord(completed, p, u);
  }

  /** "Observation (could not be read: …)": a read problem in the card's words. */
  static String words(ReadProblem problem) {
    return problem.resourceType() + " (" + problem.reason() + ")";
  }
}
