package org.ketamineadvisor.advisor.bench;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.AssessmentEngine;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.careplan.InfusionPlanner;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.mapping.FhirRecordMapper;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * Benchmark (not a test): read + assess one patient from the embedded FHIR server, for a typical
 * Synthea record and the heavy one, and how much of it is waiting on the server (time until each
 * whole answer has arrived, summed over the parallel requests, and the wall time of the read round)
 * versus the app (parsing is inside the waiting here, HAPI parses as it reads; mapping + rules after).
 * Usage: {@code LiveReadBench [ROUNDS]}; prints one line per patient with medians.
 */
public final class LiveReadBench {

  private static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);

  private LiveReadBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    EmbeddedFhirServer server = EmbeddedFhirServer.shared();
    String typical = "neuropathy-Jose_Emilio366_Maestas764_03976b21-e42b-4e77-28cf-1d86f14b7ff1.json";
    String heavy = "neuropathy-Clayton230_Kunde533_63cf99a1-c53c-a74c-72b0-45f55025eb35.json";
    long loadStart = System.nanoTime();
    server.load(Path.of("src/test/resources/synthea", typical));
    server.load(Path.of("src/test/resources/synthea-heavy", heavy));
    System.out.printf("loaded both records in %d s%n", Duration.ofNanos(System.nanoTime() - loadStart).toSeconds());

    FhirContext fhir = FhirContext.forR4Cached();
    ValueSetTerminology terminology = ValueSetTerminology.loadDefault();
    FhirClientSettings settings = FhirClientSettings.defaults();
    PatientAssessor assessor = new PatientAssessor(new FhirRecordMapper(),
        new AssessmentEngine(terminology, new UcumUnitConverter(), RuleSettings.defaults()), new InfusionPlanner());
    try (FhirServerReader reader = new FhirServerReader(fhir, server.baseUrl(), settings, terminology,
        new CapabilityCheck(fhir, settings).check(server.baseUrl()))) {
      for (String file : List.of(typical, heavy)) {
        String id = file.substring(file.length() - 41, file.length() - 5);
        List<Long> total = new ArrayList<>();
        List<Long> readWall = new ArrayList<>();
        List<Long> waitSum = new ArrayList<>();
        List<Long> assess = new ArrayList<>();
        PatientRead last = null;
        for (int i = 0; i < rounds + 3; i++) {
          long t0 = System.nanoTime();
          PatientRead read = reader.read(id, AS_OF);
          long t1 = System.nanoTime();
          assessor.assess(read.resources(), read.problems(), AS_OF, List.of(), new PlanRequest(null, null, null));
          long t2 = System.nanoTime();
          if (i >= 3) { // the first rounds warm up the JIT and the server's caches
            total.add((t2 - t0) / 1_000_000);
            readWall.add((t1 - t0) / 1_000_000);
            waitSum.add(read.stats().serverWait().toMillis());
            assess.add((t2 - t1) / 1_000_000);
          }
          last = read;
        }
        System.out.printf("%s: %d resources read in %d requests; median of %d: read+assess %d ms = read round %d ms"
                + " (requests' time to whole answer, summed over the parallel requests: %d ms) + map and rules %d ms%n",
            file.substring(0, file.indexOf('_')), last.resources().resources().size(), last.stats().roundTrips(),
            rounds, median(total), median(readWall), median(waitSum), median(assess));
      }
    }
    server.close();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
