package org.ketamineadvisor.advisor.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.sandbox.SandboxBrowser;
import org.ketamineadvisor.advisor.sandbox.SandboxEhr;
import org.ketamineadvisor.advisor.sandbox.SandboxOptions;
import org.ketamineadvisor.advisor.sandbox.TestKetamineAdvisorApplication;
import org.ketamineadvisor.advisor.sandbox.VitalSigns;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue #21's list target: server time of {@code GET /clinic} with N active courses (20 and 200 by default) in the
 * sandbox (bearer-protected HAPI JPA on H2). The courses are copies of the four showcase courses (two on an infusion
 * day, two after their sessions), each signed through the app's own workspace and given its sessions and this
 * morning's vital signs, so the list opens a quarter of them for the day check and half for their follow-ups, as a
 * clinic's list would. A provider-level launch before each render (the sandbox's tokens live 5 minutes); the first
 * three renders warm up. Run:
 * {@code scripts/bench.sh clinic} ({@code COURSES="20 200"}).
 */
public final class ClinicListBench {

  /** The showcase courses copied: the bundle, the day its plan was signed, the sessions given, a morning's vitals. */
  private record Template(String patient, LocalDate signedAsOf, int sessionsGiven, int[] morning) {}

  private static final List<Template> TEMPLATES = List.of(
      new Template("course-go", LocalDate.of(2026, 5, 26), 3, new int[] {132, 84, 78, 97}),
      new Template("course-hold", LocalDate.of(2026, 5, 26), 3, new int[] {188, 102, 84, 96}),
      new Template("course-responder", LocalDate.of(2026, 2, 16), 10, null),
      new Template("course-non-responder", LocalDate.of(2026, 2, 16), 10, null));
  /** The sandbox's own active courses: the four showcase courses and the signed plan (sessions from tomorrow). */
  private static final int SANDBOX_COURSES = TEMPLATES.size() + 1;
  private static final int ROUNDS = 10;

  private ClinicListBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {20, 200} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int size : sizes) {
      run(size);
    }
  }

  private static void run(int courses) throws Exception {
    int port = SandboxEhr.freePort();
    String app = "http://localhost:" + port;
    Path seeds = Files.createTempDirectory("clinic-bench");
    List<String> copies = new ArrayList<>();
    // the sandbox's own courses count: copies fill up to N
    for (int i = 0; copies.size() + SANDBOX_COURSES < courses; i++) {
      Template template = TEMPLATES.get(i % TEMPLATES.size());
      String copy = template.patient() + "-b" + i;
      String bundle = Files.readString(Path.of("launch/sandbox", template.patient() + ".json"))
          .replace(template.patient(), copy);
      Files.writeString(seeds.resolve(copy + ".json"), bundle);
      copies.add(copy);
    }
    try (SandboxEhr sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase(app)
        .withExtraSeeds(List.of(seeds)))) {
      long seeding = System.nanoTime();
      for (int i = 0; i < copies.size(); i++) {
        signCourse(sandbox, copies.get(i), TEMPLATES.get(i % TEMPLATES.size()));
      }
      System.out.printf("%d copies signed in %d ms%n", copies.size(), (System.nanoTime() - seeding) / 1_000_000);
      List<String> appArgs = new ArrayList<>(TestKetamineAdvisorApplication.appArguments(sandbox));
      appArgs.addAll(List.of("--server.port=" + port, "--logging.level.root=WARN"));
      try (ConfigurableApplicationContext context =
          SpringApplication.run(KetamineAdvisorApplication.class, appArgs.toArray(String[]::new))) {
        SandboxBrowser browser = new SandboxBrowser();
        browser.signInAsDemoUser(sandbox.issuer(), browser.get(sandbox.ehrUrl()));
        long[] millis = new long[ROUNDS];
        for (int round = -3; round < ROUNDS; round++) {
          // a launch per render: the sandbox's tokens live 5 minutes, and a public client gets no refresh token
          HttpResponse<String> launch = browser.get(sandbox.appLaunchUrl(sandbox.createClinicLaunch()));
          browser.get(browser.consent(sandbox.issuer(), browser.get(SandboxBrowser.location(launch)), Set.of(),
              null));
          long started = System.nanoTime();
          HttpResponse<String> page = browser.get(app + "/clinic");
          long took = (System.nanoTime() - started) / 1_000_000;
          int rows = page.body().split("data-patient=", -1).length - 1;
          if (page.statusCode() != 200 || rows != courses || page.body().contains("could not be read")) {
            throw new IllegalStateException("not the whole list: HTTP " + page.statusCode() + ", " + rows + " of "
                + courses + " rows");
          }
          if (round >= 0) {
            millis[round] = took;
          }
        }
        Arrays.sort(millis);
        System.out.printf("GET /clinic with %d active courses, %d renders: p50 %d ms, p95 %d ms, max %d ms%n",
            courses, ROUNDS, millis[ROUNDS / 2], millis[(int) Math.ceil(ROUNDS * 0.95) - 1], millis[ROUNDS - 1]);
      }
    }
  }

  /** Signs the copy's plan as Dr Ada as of the template's day and documents its sessions and this morning's vitals. */
  private static void signCourse(SandboxEhr sandbox, String patient, Template template) {
    String token = sandbox.patientToken(patient, List.of("patient/*.cruds"), "Practitioner/dr-ada");
    PatientWorkspace workspace = PatientWorkspace.forR4(ValueSetTerminology.loadDefault(), new UcumUnitConverter(),
        FhirClientSettings.defaults());
    ChartAccess access = new ChartAccess(true, true);
    var opened = workspace.open(new PatientWorkspace.Launch(sandbox.fhirBaseUrl(), patient, token,
        template.signedAsOf(), access));
    var assessed = workspace.assess(opened, List.of(), List.of(), PlanRequest.defaults());
    var result = workspace.sign(opened, assessed, new PatientWorkspace.Signing("Practitioner/dr-ada", "Dr Ada",
        template.signedAsOf().atTime(16, 0).toInstant(ZoneOffset.UTC), AppVersion.version(), token, access, null,
        false));
    if (!result.succeeded()) {
      throw new IllegalStateException("could not sign " + patient + ": " + result.failure());
    }
    List<LocalDate> sessions = assessed.plan().orElseThrow().sessionDates();
    Bundle documented = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (int i = 0; i < template.sessionsGiven(); i++) {
      MedicationAdministration given = new MedicationAdministration();
      given.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
      given.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "6130",
          "ketamine")));
      given.setSubject(new Reference("Patient/" + patient));
      given.setEffective(new DateTimeType(sessions.get(i) + "T09:00:00Z"));
      documented.addEntry().setResource(given).getRequest().setMethod(Bundle.HTTPVerb.POST)
          .setUrl("MedicationAdministration");
    }
    if (template.morning() != null) {
      // 35 minutes before now, on the seeds' day: within the day check's 4 hours at the time of the renders
      Instant at = LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF)
          .atTime(LocalTime.now(ZoneOffset.UTC).minusMinutes(35)).toInstant(ZoneOffset.UTC);
      int[] m = template.morning();
      documented.addEntry().setResource(VitalSigns.bloodPressure(patient, at, m[0], m[1]))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
      documented.addEntry().setResource(VitalSigns.observation(patient, at, "8867-4", "Heart rate", m[2], "/min"))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
      documented.addEntry().setResource(VitalSigns.observation(patient, at, "59408-5", "Oxygen saturation", m[3], "%"))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
    }
    IGenericClient fhir = FhirContext.forR4Cached().newRestfulGenericClient(sandbox.fhirBaseUrl());
    fhir.registerInterceptor(new BearerTokenAuthInterceptor(token));
    fhir.transaction().withBundle(documented).execute();
  }

}
