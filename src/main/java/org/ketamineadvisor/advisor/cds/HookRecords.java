package org.ketamineadvisor.advisor.cds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assessed record of a hook request: from prefetch when complete (with the Medications it references read
 * afterwards), else opened from {@code fhirServer} with the {@code fhirAuthorization} token (never without it, and
 * only from a server the client is known to front). Mapping and assessing are the workspace's, as for every door;
 * what could not be read makes the card say so and the rules that need it unknown.
 */
final class HookRecords {

  private static final Logger log = LoggerFactory.getLogger(HookRecords.class);

  private final PatientWorkspace workspace;
  private final ReadableServers servers;
  private final ReferencedMedications medications;

  HookRecords(PatientWorkspace workspace, ReadableServers servers) {
    this.workspace = workspace;
    this.servers = servers;
    this.medications = new ReferencedMedications(workspace, servers);
  }

  /**
   * The verdict on the record, and what could not be read (in the card's words).
   *
   * @param assessed null when the record could not be read at all (no Patient)
   */
  record Assessed(AssessedPatient assessed, List<String> unread) {}

  Assessed assess(JsonNode request, String patientId, String client, LocalDate asOf) {
    JsonNode prefetch = request.path("prefetch");
    String fhirServer = request.path("fhirServer").asText(null);
    String token = request.path("fhirAuthorization").path("access_token").asText(null);
    List<String> missing = PrefetchedRecord.missingKeys(prefetch);
    if (missing.isEmpty()) {
      return assess(medications.complete(PrefetchedRecord.of(prefetch, patientId), fhirServer, token, client), asOf);
    }
    if (fhirServer == null || token == null || token.isBlank()) {
      // never a falsely clean card: what prefetch lacked is unread, and the rules that need it are unknown
      List<String> unread = new ArrayList<>();
      missing.forEach(k -> unread.add(PrefetchedRecord.TYPES.get(k)
          + " (not prefetched, and no fhirAuthorization to read it)"));
      if (missing.contains("patient")) {
        return new Assessed(null, unread);
      }
      PrefetchedRecord partial = medications.complete(PrefetchedRecord.of(prefetch, patientId), fhirServer, token,
          client);
      List<ReadProblem> problems = new ArrayList<>(partial.problems());
      missing.forEach(k -> problems.add(new ReadProblem(PrefetchedRecord.TYPES.get(k), "not prefetched and not "
          + "readable without fhirAuthorization")));
      unread.addAll(partial.unread());
      return assess(new PrefetchedRecord(partial.resources(), problems, unread), asOf);
    }
    if (!servers.readable(client, fhirServer)) {
      // the token goes only to a server this client is known to front: never to a URL a request names
      log.warn("CDS hook: fhirServer is not one this app may read for client {}", client);
      return new Assessed(null, List.of("the record was not prefetched, and " + fhirServer
          + " is not a FHIR server this app may read for this EHR (advisor.cds.clients[n].fhir-servers)"));
    }
    OpenedPatient opened;
    try {
      opened = workspace.open(new PatientWorkspace.Launch(fhirServer, patientId, token, asOf, ChartAccess.NONE));
    } catch (FhirServerException | IllegalArgumentException e) {
      return new Assessed(null, List.of("the record on " + fhirServer + " could not be read: " + e.getMessage()));
    }
    return new Assessed(workspace.assess(opened, List.of(), PlanRequest.defaults()),
        opened.readProblems().stream().map(PrefetchedRecord::words).toList());
  }

  private Assessed assess(PrefetchedRecord record, LocalDate asOf) {
    if (record.resources() == null) {
      return new Assessed(null, record.unread());
    }
    return new Assessed(workspace.assess(record.resources(), record.problems(), asOf), record.unread());
  }
}
