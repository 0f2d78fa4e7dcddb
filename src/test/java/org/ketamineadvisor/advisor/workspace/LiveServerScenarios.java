package org.ketamineadvisor.advisor.workspace;

import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FaultyProxy;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.ProfileValidator;
import org.ketamineadvisor.advisor.fhir.writing.SharedValidator;
import org.ketamineadvisor.advisor.workspace.WriteBacks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.cli.CommandLine;
import org.ketamineadvisor.advisor.sandbox.FixtureLoader;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The live-server scenarios of issue #3, run against any FHIR server given by its base URL (the
 * embedded HAPI JPA server always, a hapiproject/hapi container when Docker is there): the same
 * record gives the same line from the server as from the file, one round of requests per read, one
 * transaction per write, and a repeated write creates nothing new.
 */
public abstract class LiveServerScenarios {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final Path SANDBOX = Path.of("launch/sandbox");
  static final LocalDate SANDBOX_AS_OF = LocalDate.of(2026, 6, 1);
  static final LocalDate SYNTHEA_AS_OF = LocalDate.of(2025, 1, 1);
  /** Loading all 15 Synthea records takes over a minute on 2 cores; the three smallest cover the shapes. */
  static final int SYNTHEA_RECORDS = 3;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

  private static final Set<String> LOADED = new HashSet<>();

  /** The FHIR base URL of the server under test. */
  abstract String baseUrl();

  /** Loads the sandbox and the Synthea subset once per server. */
  final void loadFixtures() {
    synchronized (LOADED) {
      if (LOADED.add(baseUrl())) {
        FixtureLoader loader = new FixtureLoader(baseUrl());
        sandboxFiles().forEach(loader::load);
        syntheaFiles().forEach(loader::load);
      }
    }
  }

  static List<Path> sandboxFiles() {
    return list(SANDBOX, Comparator.naturalOrder());
  }

  static List<Path> syntheaFiles() {
    return list(Path.of("src/test/resources/synthea"), Comparator.comparingLong(LiveServerScenarios::size))
        .subList(0, SYNTHEA_RECORDS);
  }

  /** Sandbox ids are the file names; Synthea patient ids are the UUID that ends the file name. */
  static String patientIdOf(Path file) {
    String name = file.getFileName().toString().replace(".json", "");
    return name.length() > 36 && name.charAt(name.length() - 37) == '_' ? name.substring(name.length() - 36) : name;
  }

  @Test
  void theSameRecordGivesTheSameLineFromTheServerAsFromTheFile() {
    loadFixtures();
    List<String> compared = new ArrayList<>();
    for (Path file : sandboxFiles()) {
      compare(file, SANDBOX_AS_OF);
      compared.add(patientIdOf(file));
    }
    for (Path file : syntheaFiles()) {
      compare(file, SYNTHEA_AS_OF);
      compared.add(patientIdOf(file));
    }
    assertThat(compared).hasSize(19 + SYNTHEA_RECORDS);
  }

  private void compare(Path file, LocalDate asOf) {
    Run fromFile = Run.of("assess", "--input", file.toString(), "--as-of", asOf.toString());
    Run fromServer = Run.of("assess", "--fhir-base", baseUrl(), "--patient", patientIdOf(file), "--as-of", asOf.toString());
    assertThat(fromFile.status).as(fromFile.err).isZero();
    assertThat(fromServer.status).as("%s: %s", file, fromServer.err).isZero();
    assertThat(fromServer.out).as(file.toString()).isNotBlank().isEqualTo(fromFile.out);
  }

  @Test
  void oneReadIsOneRoundOfSixRequestsPlusTheirNextPages() {
    loadFixtures();
    try (FhirServerReader reader = reader(FhirClientSettings.defaults())) {
      PatientRead read = reader.read("crps-suitable", SANDBOX_AS_OF);
      assertThat(read.problems()).isEmpty();
      // Patient read + Condition, MedicationStatement, MedicationRequest, Observation, AllergyIntolerance
      assertThat(read.stats().roundTrips()).isEqualTo(6);
      assertThat(read.stats().retries()).isZero();
    }
    Path synthea = syntheaFiles().get(SYNTHEA_RECORDS - 1);
    try (FhirServerReader reader = reader(FhirClientSettings.defaults().withPageSize(5))) {
      PatientRead read = reader.read(patientIdOf(synthea), SYNTHEA_AS_OF);
      assertThat(read.problems()).isEmpty();
      int pages = 0;
      for (String type : List.of("Condition", "MedicationStatement", "MedicationRequest", "Observation",
          "AllergyIntolerance")) {
        long matches = read.resources().resources().stream().filter(r -> r.fhirType().equals(type)).count();
        pages += Math.max(1, (int) Math.ceil(matches / 5.0));
      }
      assertThat(read.stats().roundTrips()).isBetween(1 + pages, 1 + pages + 2); // a last page may be empty
      assertThat(pages).isGreaterThan(5);
      try (FhirServerReader big = reader(FhirClientSettings.defaults())) {
        assertThat(ids(big.read(patientIdOf(synthea), SYNTHEA_AS_OF).resources()))
            .containsExactlyInAnyOrderElementsOf(ids(read.resources()));
      }
    }
  }

  @Test
  void aWriteIsOneTransactionOfValidResourcesAndWritingTwiceCreatesNothingNew() {
    loadFixtures();
    String patient = "sci-precautions";
    Run first = Run.of("assess", "--fhir-base", baseUrl(), "--patient", patient, "--as-of", "2026-06-01", "--write");
    assertThat(first.status).as(first.err).isZero();
    Run second = Run.of("assess", "--fhir-base", baseUrl(), "--patient", patient, "--as-of", "2026-06-01", "--write");
    assertThat(second.status).as(second.err).isZero();
    assertThat(second.out).isEqualTo(first.out);
    assertThat(second.err).contains("already there");

    WrittenCounts counts = WrittenCounts.of(client(), patient);
    assertThat(counts.riskAssessments()).hasSize(1);
    assertThat(counts.carePlans()).hasSize(1);
    assertThat(counts.provenances()).hasSize(1);
    ProfileValidator validator = SharedValidator.get();
    for (Resource written : counts.all()) {
      assertThat(validator.errors(written)).as(written.getIdElement().getValue()).isEmpty();
    }
    assertThat(first.err).contains("written: RiskAssessment/", "written: CarePlan/", "written: Provenance/");
  }

  @Test
  void aWriteCostsOneRequest() {
    loadFixtures();
    try (FhirServerReader reader = reader(FhirClientSettings.defaults());
        FhirServerWriter writer = new FhirServerWriter(FHIR, baseUrl(), FhirClientSettings.defaults())) {
      PatientRead read = reader.read("opioid-benzo", SANDBOX_AS_OF);
      Bundle bundle = WriteBacks.bundleFor(read, SANDBOX_AS_OF);
      WriteResult result = writer.write(bundle);
      assertThat(result.succeeded()).as(result.failure()).isTrue();
      assertThat(result.stats().roundTrips()).isEqualTo(1);
      assertThat(result.written()).extracting(WriteResult.Written::resourceType)
          .containsExactly("RiskAssessment", "CarePlan", "Provenance");
    }
  }

  @Test
  void aWriteWhoseAnswerIsLostIsFoundByItsIdentifiersOnThisServerAndWrittenOnce() {
    // the look-up's searches (identifier tokens, Provenance by its target's identifier) are what differ by server
    String patient = ShowcaseCopies.load("crps-suitable", baseUrl());
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(baseUrl())) {
      proxy.on(FaultyProxy.transaction(), 1, new FaultyProxy.Truncate());
      Run lost = Run.of("assess", "--fhir-base", proxy.baseUrl(), "--patient", patient, "--as-of", "2026-06-01",
          "--write");
      assertThat(lost.status).as(lost.err).isZero();
      assertThat(lost.err).contains("confirmed by finding it on the server")
          .containsPattern("(?m)^written: RiskAssessment/.+ \\(found on the server\\)$")
          .containsPattern("(?m)^written: CarePlan/.+ \\(found on the server\\)$")
          .containsPattern("(?m)^written: Provenance/.+ \\(found on the server\\)$");
      assertThat(proxy.requests()).filteredOn(FaultyProxy.transaction()).as("found, so not sent again").hasSize(1);
    }
    Run again = Run.of("assess", "--fhir-base", baseUrl(), "--patient", patient, "--as-of", "2026-06-01", "--write");
    assertThat(again.status).as(again.err).isZero();
    assertThat(again.err).contains("(already there from an earlier identical write)").doesNotContain("(created)");
    WrittenCounts counts = WrittenCounts.of(client(), patient);
    assertThat(counts.riskAssessments()).hasSize(1);
    assertThat(counts.carePlans()).hasSize(1);
    assertThat(counts.provenances()).hasSize(1);
  }

  FhirServerReader reader(FhirClientSettings settings) {
    return new FhirServerReader(FHIR, baseUrl(), settings, ValueSetTerminology.loadDefault(),
        new CapabilityCheck(FHIR, settings).check(baseUrl()));
  }

  IGenericClient client() {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    return FHIR.newRestfulGenericClient(baseUrl());
  }

  private static Set<String> ids(PatientResources resources) {
    Set<String> ids = new HashSet<>();
    resources.resources().forEach(r -> ids.add(r.fhirType() + "/" + r.getIdElement().getIdPart()));
    return ids;
  }

  private static List<Path> list(Path dir, Comparator<Path> order) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted(order).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RiskAssessments, CarePlans and Provenances written for one patient. */
  public record WrittenCounts(List<Resource> riskAssessments, List<Resource> carePlans, List<Resource> provenances) {
    public static WrittenCounts of(IGenericClient client, String patientId) {
      List<Resource> ras = search(client, client.search().forResource(RiskAssessment.class)
          .where(RiskAssessment.SUBJECT.hasId("Patient/" + patientId)).returnBundle(Bundle.class).execute());
      List<Resource> cps = search(client, client.search().forResource(CarePlan.class)
          .where(CarePlan.SUBJECT.hasId("Patient/" + patientId)).returnBundle(Bundle.class).execute());
      List<Resource> provs = new ArrayList<>();
      for (Resource ra : ras) {
        provs.addAll(search(client, client.search().forResource(Provenance.class)
            .where(Provenance.TARGET.hasId(ra.getIdElement().toUnqualifiedVersionless().getValue()))
            .returnBundle(Bundle.class).execute()));
      }
      return new WrittenCounts(ras, cps, provs);
    }

    List<Resource> all() {
      List<Resource> all = new ArrayList<>(riskAssessments);
      all.addAll(carePlans);
      all.addAll(provenances);
      return all;
    }

    public int total() {
      return all().size();
    }

    private static List<Resource> search(IGenericClient client, Bundle first) {
      List<Resource> out = new ArrayList<>();
      Bundle page = first;
      while (true) {
        page.getEntry().forEach(e -> out.add(e.getResource()));
        if (page.getLink(Bundle.LINK_NEXT) == null) {
          return out;
        }
        page = client.loadPage().next(page).execute();
      }
    }
  }

  /** One run of the command line, in process. */
  public record Run(int status, String out, String err) {
    public static Run of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = CommandLine.run(args, CLOCK, new PrintWriter(out), new PrintWriter(err));
      return new Run(status, out.toString(), err.toString());
    }
  }
}
