package org.ketamineadvisor.advisor.cli;

import org.ketamineadvisor.advisor.workspace.AppVersion;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.FhirServerReader;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.workspace.PatientAssessor;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.fhir.server.PatientRead;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.fhir.server.ServerNeed;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackBundleBuilder;
import org.ketamineadvisor.advisor.fhir.writing.WriteBackContext;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/** {@code assess --fhir-base}: one patient read from a server, assessed, printed, and optionally written back. */
final class ServerAssessment {

  private final Clock clock;
  private final PrintWriter out;
  private final PrintWriter err;

  ServerAssessment(Clock clock, PrintWriter out, PrintWriter err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  int run(ServerOptions server, String patientId, LocalDate asOf, PlanRequest planRequest, boolean write,
      ValueSetTerminology terminology) {
    FhirContext fhir = FhirContext.forR4Cached();
    FhirClientSettings settings = server.settings();
    ServerCapabilities capabilities;
    try {
      capabilities = new CapabilityCheck(fhir, settings).check(server.fhirBase);
    } catch (FhirServerException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    PatientRead read;
    try (FhirServerReader reader = new FhirServerReader(fhir, server.fhirBase, settings, terminology, capabilities)) {
      read = reader.read(patientId, asOf);
    } catch (FhirServerException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    PatientAssessor assessor = PatientAssessor.withDefaultRules(terminology, new UcumUnitConverter());
    AssessedPatient result = assessor.assess(read.resources(), read.problems(), asOf, List.of(), planRequest);
    out.println(new AssessmentJson().line(result));
    out.flush();
    for (String problem : result.mappingProblems()) {
      err.println("warning: " + read.resources().source() + ": " + problem);
    }
    for (ReadProblem problem : read.problems()) {
      err.println("warning: assessment incomplete: could not read " + problem.resourceType() + ": " + problem.reason()
          + "; the rules that depend on it are unknown");
    }
    if (write && !read.complete()) {
      // an assessment built on a partial read must not enter the chart as if it were the whole record
      err.println("error: nothing was written: the read was incomplete (see the warnings above); "
          + "fix the server's answers and assess again");
      return AssessCommand.WRITE_FAILED;
    }
    if (write) {
      int status = write(fhir, server, settings, capabilities, result);
      if (status != 0) {
        return status;
      }
    }
    return read.complete() ? 0 : AssessCommand.INCOMPLETE;
  }

  private int write(FhirContext fhir, ServerOptions server, FhirClientSettings settings,
      ServerCapabilities capabilities, AssessedPatient result) {
    List<ServerNeed> missing = capabilities.missingForWriting();
    if (!missing.isEmpty()) {
      err.println("error: nothing was written: the server does not support "
          + String.join(", ", missing.stream().map(ServerNeed::what).toList())
          + "; use --emit-fhir with --input to export the Bundle instead");
      return AssessCommand.WRITE_FAILED;
    }
    Bundle bundle = new WriteBackBundleBuilder().build(result.assessment(), result.plan(),
        new WriteBackContext(null, Instant.now(clock), false, AppVersion.version()));
    try (FhirServerWriter writer = new FhirServerWriter(fhir, server.fhirBase, settings)) {
      WriteResult written = writer.write(bundle);
      if (written.uncertain()) {
        err.println("error: " + written.failure());
        return AssessCommand.WRITE_UNKNOWN;
      }
      if (!written.succeeded()) {
        err.println("error: " + written.failure());
        return AssessCommand.WRITE_FAILED;
      }
      if (written.note() != null) {
        err.println("note: " + written.note());
      }
      for (WriteResult.Written w : written.written()) {
        err.println("written: " + w.location() + " (" + w.how().words() + ")");
      }
      return 0;
    }
  }
}
