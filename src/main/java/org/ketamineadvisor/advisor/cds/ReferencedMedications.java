package org.ketamineadvisor.advisor.cds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.fhir.mapping.ResourceKeys;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;

/**
 * The Medications a prefetched record's MedicationRequests and MedicationStatements reference (not contained, not
 * prefetched), read through the workspace from {@code fhirServer} with {@code fhirAuthorization}: the prefetch
 * templates stay within the specification's recommended queries, which have no {@code _include}. A Medication that
 * cannot be read is a read problem, so the medication rules are unknown rather than falsely absent.
 */
final class ReferencedMedications {

  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  /** A relative Medication reference, by its id and perhaps a version: anything else is not readable here. */
  private static final Pattern MEDICATION_REFERENCE = Pattern.compile("Medication/[^/]+(?:/_history/[A-Za-z0-9\\-.]{1,64})?");

  private final PatientWorkspace workspace;
  private final ReadableServers servers;

  ReferencedMedications(PatientWorkspace workspace, ReadableServers servers) {
    this.workspace = workspace;
    this.servers = servers;
  }

  /**
   * {@code prefetched} with the Medications it references added, or what could not be read of them.
   *
   * @param fhirServer the request's {@code fhirServer}; null when it names none
   * @param token the request's {@code fhirAuthorization} access token; null when it has none
   */
  PrefetchedRecord complete(PrefetchedRecord prefetched, String fhirServer, String token, String client) {
    if (prefetched.resources() == null) {
      return prefetched;
    }
    List<Resource> resources = new ArrayList<>(prefetched.resources().resources());
    Set<String> held = new HashSet<>();
    resources.stream().filter(r -> r instanceof Medication).forEach(r -> held.add(r.getIdElement().getIdPart()));
    String server = fhirServer == null ? null : fhirServer.replaceAll("/+$", "");
    Set<String> wanted = new LinkedHashSet<>();
    int unreadable = 0;
    for (Resource r : resources) {
      Type medication = r instanceof MedicationRequest mr ? mr.getMedication()
          : r instanceof MedicationStatement ms ? ms.getMedication() : null;
      if (!(medication instanceof Reference ref) || !ref.hasReference() || ref.getReference().startsWith("#")) {
        continue;
      }
      String id = medicationId(ref.getReference(), server);
      if (id == null) {
        unreadable++; // urn:uuid or another server's URL: nothing this service can read
      } else if (!held.contains(id)) {
        wanted.add(id);
      }
    }
    if (wanted.isEmpty() && unreadable == 0) {
      return prefetched;
    }
    String why;
    if (wanted.isEmpty()) {
      why = "not in the prefetch and not on " + (server == null ? "the EHR's FHIR server" : server);
    } else if (server == null || token == null || token.isBlank()) {
      why = "not prefetched (prefetch has no _include), and no fhirAuthorization to read them";
    } else if (!servers.readable(client, server)) {
      why = "not prefetched, and " + server + " is not a FHIR server this app may read for this EHR";
    } else {
      why = "could not be read from " + server;
      try {
        for (Medication m : workspace.readMedications(server, token, wanted)) {
          if (wanted.remove(m.getIdElement().getIdPart())) {
            resources.add(m);
          }
        }
      } catch (FhirServerException | IllegalArgumentException e) {
        why = "could not be read (" + e.getMessage() + ")";
      }
    }
    int missing = wanted.size() + unreadable;
    if (missing == 0) {
      return prefetched.with(resources, List.of(), List.of());
    }
    ReadProblem problem = new ReadProblem("Medication", missing + " referenced Medication resource(s) " + why);
    return prefetched.with(resources, List.of(problem), List.of("Medication (" + problem.reason() + ")"));
  }

  /** The id of a Medication reference relative to, or on, {@code server}; null for anything else. */
  private static String medicationId(String reference, String server) {
    String ref = reference.trim();
    if (server != null && ref.startsWith(server + "/")) {
      ref = ref.substring(server.length() + 1);
    }
    if (!MEDICATION_REFERENCE.matcher(ref).matches()) {
      return null;
    }
    String id = ResourceKeys.idPart(ref);
    return id != null && FHIR_ID.matcher(id).matches() ? id : null;
  }
}
