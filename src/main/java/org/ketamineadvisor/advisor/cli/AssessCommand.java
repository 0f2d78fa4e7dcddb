package org.ketamineadvisor.advisor.cli;

import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.careplan.ProtocolId;
import org.ketamineadvisor.advisor.careplan.SiteSettings;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.AssessmentJson;
import org.ketamineadvisor.advisor.fhir.mapping.PatientResources;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;
import org.ketamineadvisor.advisor.terminology.LocalCodes;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code assess}: exported FHIR data in, or one patient read from a FHIR server; one NDJSON line per
 * patient out (docs/command-line.md § The output line). The same record gives the same line either way.
 */
@Command(name = "assess", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Assesses every patient in exported FHIR data (--input), or one patient on a FHIR server (--fhir-base, --patient),",
        "and prints one JSON line per patient, sorted by id. With --day-check: the infusion-day check of one patient",
        "(--patient) or of every patient with an active plan; with --course: the course as data (nothing written).",
        "Exit status: 0 all read and assessed (and written with --write);",
        "  1 internal error;",
        "  2 some input was unreadable (named on stderr; the rest is still assessed), or the patient could not be read",
        "    (with --day-check or --course: any read the check or the course rests on; each patient named on stderr);",
        "  3 assessment incomplete: some resource type could not be read from the server (named on stderr);",
        "    the rules that depend on it are 'unknown' in the line, never 'not met';",
        "  4 --write not done: nothing was written (the server refused, or the read was incomplete; reason on stderr);",
        "  5 --write outcome unknown: the answer was lost and the server could not be checked; check the chart."})
final class AssessCommand implements Callable<Integer> {

  @Option(names = "--input", paramLabel = "PATH",
      description = "A Bundle JSON file, an NDJSON file, or a directory of them (repeatable). Not with --fhir-base.")
  List<Path> inputs;

  @Mixin
  ServerOptions server = new ServerOptions();

  @Option(names = "--patient", paramLabel = "ID", description = "With --fhir-base: the id of the Patient to assess.")
  String patientId;

  @Option(names = "--write",
      description = "With --fhir-base: write the RiskAssessment, CarePlan and Provenance back in one transaction.")
  boolean write;

  @Spec
  CommandSpec spec;

  @Option(names = "--day-check",
      description = "With --fhir-base and --patient: the infusion-day check (go / hold, rule set v1.1 § 8.2) of the "
          + "patient's active signed course, one JSON line; without --patient: every patient with an active plan of "
          + "this app, one line each, sorted by patient id. Nothing is written.")
  boolean dayCheck;

  @Option(names = "--course",
      description = "With --fhir-base and --patient: the course as data (status, sessions given, follow-ups, "
          + "standing; rule set v1.1 § 8.1, § 8.3), one JSON line; nothing is written.")
  boolean course;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "With --day-check or --course: the moment (ISO, e.g. 2026-06-01T09:00:00Z); default now.")
  java.time.Instant at;

  @Option(names = "--time-zone", paramLabel = "ZONE",
      description = "With --day-check or --course: the site's time zone, which decides the calendar day of --at (a "
          + "region id such as Europe/Zurich; default UTC, as advisor.site.time-zone).")
  java.time.ZoneId timeZone;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "The date every window is measured back from (default: today). Not with --course or --day-check "
          + "(they take the moment with --at).")
  LocalDate asOf;

  @Option(names = "--protocol", paramLabel = "ID",
      converter = ProtocolIdConverter.class,
      description = "Infusion protocol instead of the default for the indication: P-CRPS, P-SCI or P-STANDARD. Not with "
          + "--course or --day-check (the signed plan decides).")
  ProtocolId protocol;

  @Option(names = "--start", paramLabel = "YYYY-MM-DD",
      description = "First infusion day (default: the day after the as-of date). Not with --course or --day-check.")
  LocalDate start;

  @Option(names = "--emit-fhir", paramLabel = "DIR",
      description = "Also write each patient's RiskAssessment/CarePlan/Provenance transaction Bundle to DIR/<patient>.json.")
  Path emitFhir;

  @Option(names = "--local-codes", paramLabel = "FILE",
      description = "Site codes added to the value sets: TSV with header valueSet, system, code, display, group.")
  Path localCodes;

  private final Clock clock;
  private final PrintWriter out;
  private final PrintWriter err;

  AssessCommand(Clock clock, PrintWriter out, PrintWriter err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    // the course and the day check follow the signed plan: the options that shape a new assessment have no say
    if (course || dayCheck) {
      List<String> assessmentOnly = new java.util.ArrayList<>();
      if (asOf != null) {
        assessmentOnly.add("--as-of");
      }
      if (protocol != null) {
        assessmentOnly.add("--protocol");
      }
      if (start != null) {
        assessmentOnly.add("--start");
      }
      if (emitFhir != null) {
        assessmentOnly.add("--emit-fhir");
      }
      if (!assessmentOnly.isEmpty()) {
        throw new ParameterException(spec.commandLine(), String.join(", ", assessmentOnly) + " go"
            + (assessmentOnly.size() == 1 ? "es" : "") + " with an assessment, not with "
            + (course ? "--course" : "--day-check") + ": the signed plan decides the sessions and the dose; give "
            + "the moment with --at");
      }
    }
    AssessmentMoment moment = assessmentMoment();
    LocalDate asOfDate = moment.today();
    if (start != null && start.isBefore(asOfDate)) {
      throw new ParameterException(spec.commandLine(), "--start " + start + " is before the as-of date " + asOfDate
          + (asOf == null ? " (today)" : "") + ": the first session cannot be before the assessment; give a --start "
          + "on or after " + asOfDate + ", or leave it out");
    }
    if (start != null && start.isAfter(asOfDate.plusDays(365))) {
      throw new ParameterException(spec.commandLine(), "--start " + start + " is more than a year after the as-of "
          + "date " + asOfDate + ": the assessment would be out of date by then; give an earlier --start");
    }
    PlanRequest planRequest = new PlanRequest(protocol, start, null);
    boolean fromServer = server.fhirBase != null;
    if (fromServer == (inputs != null && !inputs.isEmpty())) {
      throw new ParameterException(spec.commandLine(),
          "give either --input PATH (files) or --fhir-base URL with --patient ID (a server), not both or neither");
    }
    server.checkBase(spec.commandLine());
    if (patientId != null && patientId.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--patient is blank: give the id of the Patient (leave "
          + "--patient out for --day-check of every patient with an active plan)");
    }
    boolean noPatient = patientId == null;
    if (course && (!fromServer || noPatient || dayCheck || write)) {
      throw new ParameterException(spec.commandLine(), "--course goes with --fhir-base URL and --patient ID, and "
          + "not with --input, --day-check or --write (the course is read, nothing is written)");
    }
    if (fromServer && noPatient && !dayCheck) {
      throw new ParameterException(spec.commandLine(), "--fhir-base needs --patient ID (the Patient to assess)");
    }
    if (!fromServer && (patientId != null || write)) {
      throw new ParameterException(spec.commandLine(), "--patient and --write go with --fhir-base, not with --input");
    }
    if ((dayCheck || at != null || timeZone != null) && (!fromServer || write || !dayCheck && !course)) {
      throw new ParameterException(spec.commandLine(), dayCheck
          ? "--day-check goes with --fhir-base URL (and --patient ID for one patient), and not with --write (the "
              + "check writes nothing)"
          : (at != null ? "--at" : "--time-zone") + " goes with --day-check or --course");
    }
    if (course) {
      return new CourseRun(out, err).run(server, patientId, dayCheckMoment(), terminology());
    }
    if (dayCheck) {
      return noPatient ? new DayCheckRun(out, err).runAll(server, dayCheckMoment(), terminology())
          : new DayCheckRun(out, err).run(server, patientId, dayCheckMoment(), terminology());
    }
    if (fromServer) {
      return new ServerAssessment(out, err).run(server, patientId, moment, planRequest, write, terminology());
    }
    // an input that does not exist is reported, and every other input is still assessed
    List<Path> readable = new java.util.ArrayList<>();
    for (Path input : inputs) {
      if (Files.exists(input)) {
        readable.add(input);
      } else {
        err.println("error: " + input + ": no such file or directory"
            + (inputs.size() > 1 ? "; the other inputs are still assessed" : ""));
      }
    }
    boolean missingInput = readable.size() < inputs.size();
    if (emitFhir != null) {
      createEmitFolder();
    }

    FhirContext fhir = FhirContext.forR4Cached();
    ValueSetTerminology terminology = terminology();
    PatientAssessor assessor = PatientAssessor.withDefaultRules(terminology, new UcumUnitConverter());
    WriteBackBundleBuilder bundles = new WriteBackBundleBuilder();
    AssessmentJson json = new AssessmentJson();

    AtomicInteger badInputs = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    new FhirFileReader(fhir).read(readable, (PatientResources patient) -> {
      try {
        AssessedPatient result = assessor.assess(patient, asOfDate, List.of(), planRequest);
        out.println(json.line(result));
        for (String problem : result.mappingProblems()) {
          err.println("warning: " + patient.source() + ": " + problem);
        }
        for (String problem : result.assessment().dataProblems()) {
          err.println("warning: " + patient.source() + ": " + problem);
        }
        if (emitFhir != null) {
          Bundle bundle = bundles.build(result.assessment(), result.plan(),
              new WriteBackContext(null, moment.instant(), false, AppVersion.version()));
          Files.writeString(emitFhir.resolve(fileNameFor(patient.patientId())),
              fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle));
        }
      } catch (RuntimeException | IOException e) {
        failures.incrementAndGet();
        err.println("error: " + patient.source() + ": patient " + patient.patientId()
            + " could not be assessed: " + e.getMessage());
      }
    }, problem -> {
      badInputs.incrementAndGet();
      err.println("error: " + problem.source() + ": " + problem.message());
    });
    out.flush();
    if (failures.get() > 0) {
      return ExitStatus.INTERNAL_ERROR;
    }
    return badInputs.get() > 0 || missingInput ? ExitStatus.UNREADABLE : ExitStatus.OK;
  }

  /**
   * The moment of the assessment: the clock's today in its own zone (the machine's), or {@code --as-of}; the
   * signature time of an emitted or written Bundle is the clock's instant.
   */
  private AssessmentMoment assessmentMoment() {
    return new AssessmentMoment(clock, clock.getZone(), asOf);
  }

  /** The moment of {@code --day-check} and {@code --course}: {@code --at} (default now) in {@code --time-zone} (default UTC). */
  private AssessmentMoment dayCheckMoment() {
    ZoneId zone = timeZone != null ? timeZone : SiteSettings.DEFAULT_TIME_ZONE;
    return new AssessmentMoment(at != null ? Clock.fixed(at, zone) : clock, zone, null);
  }

  /**
   * The {@code --emit-fhir} folder, created when missing; a file in its place is a usage error naming the option
   * (reported here, once, rather than as the file system's bare "already exists").
   */
  private void createEmitFolder() throws IOException {
    try {
      Files.createDirectories(emitFhir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ParameterException(spec.commandLine(), "--emit-fhir " + emitFhir + " is a file, not a folder: give "
          + "a folder to write each patient's Bundle into (it is created when missing)");
    }
  }

  private ValueSetTerminology terminology() throws IOException {
    return terminology(localCodes);
  }

  /** The value sets with the site's {@code --local-codes} (null: none); {@code screen} loads them the same way. */
  static ValueSetTerminology terminology(Path localCodes) throws IOException {
    return localCodes == null ? ValueSetTerminology.loadDefault() : ValueSetTerminology.load(LocalCodes.read(localCodes));
  }

  /** Turns a bad protocol id into a usage error that lists the valid ids. */
  static final class ProtocolIdConverter implements picocli.CommandLine.ITypeConverter<ProtocolId> {
    @Override
    public ProtocolId convert(String value) {
      try {
        return ProtocolId.fromId(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** FHIR ids are [A-Za-z0-9-.]{1,64}; anything else is replaced so the id cannot leave the folder. */
  static String fileNameFor(String patientId) {
    return patientId.replaceAll("[^A-Za-z0-9.-]", "_").replaceAll("^\\.+", "_") + ".json";
  }
}
