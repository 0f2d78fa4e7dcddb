package org.ketamineadvisor.advisor.cli;

import java.io.PrintWriter;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.PatientRecord.ReadProblem;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.ServerNeed;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.terminology.UcumUnitConverter;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;
import org.ketamineadvisor.advisor.workspace.AppVersion;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.workspace.AssessmentJson;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;
import org.ketamineadvisor.advisor.workspace.PatientWorkspace;

/**
 * {@code assess --fhir-base}: one patient read from a server, assessed, printed, and optionally written back. The
 * patient is opened, assessed and written by the workspace, as for the pages, CDS Hooks and the day check.
 */
final class ServerAssessment {

  private final PrintWriter out;
  private final PrintWriter err;

  ServerAssessment(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  int run(ServerOptions server, String patientId, AssessmentMoment moment, PlanRequest planRequest, boolean write,
      ValueSetTerminology terminology) {
    PatientWorkspace workspace = PatientWorkspace.forR4(terminology, new UcumUnitConverter(), server.settings());
    OpenedPatient opened;
    try {
      opened = workspace.open(new PatientWorkspace.Launch(server.fhirBase, patientId, server.token(), moment.today(),
          ChartAccess.NONE));
    } catch (FhirServerException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    AssessedPatient result = workspace.assess(opened, List.of(), planRequest);
    out.println(new AssessmentJson().line(result));
    out.flush();
    for (String problem : result.mappingProblems()) {
      err.println("warning: " + opened.source() + ": " + problem);
    }
    for (ReadProblem problem : opened.readProblems()) {
      err.println("warning: assessment incomplete: could not read " + problem.resourceType() + ": " + problem.reason()
          + "; the rules that depend on it are unknown");
    }
    if (write && !opened.readComplete()) {
      // an assessment built on a partial read must not enter the chart as if it were the whole record
      err.println("error: nothing was written: the read was incomplete (see the warnings above); "
          + "fix the server's answers and assess again");
      return ExitStatus.WRITE_FAILED;
    }
    if (write) {
      int status = write(workspace, opened, result, moment, server.token());
      if (status != ExitStatus.OK) {
        return status;
      }
    }
    return opened.readComplete() ? ExitStatus.OK : ExitStatus.INCOMPLETE;
  }

  private int write(PatientWorkspace workspace, OpenedPatient opened, AssessedPatient result, AssessmentMoment moment,
      String token) {
    List<ServerNeed> missing = opened.missingForWriting();
    if (!missing.isEmpty()) {
      err.println("error: nothing was written: the server does not support "
          + String.join(", ", missing.stream().map(ServerNeed::what).toList())
          + "; use --emit-fhir with --input to export the Bundle instead");
      return ExitStatus.WRITE_FAILED;
    }
    WriteResult written = workspace.writeDraft(opened, result, moment.instant(), AppVersion.version(), token);
    if (written.uncertain()) {
      err.println("error: " + written.failure());
      return ExitStatus.WRITE_UNKNOWN;
    }
    if (!written.succeeded()) {
      err.println("error: " + written.failure());
      return ExitStatus.WRITE_FAILED;
    }
    if (written.note() != null) {
      err.println("note: " + written.note());
    }
    for (WriteResult.Written w : written.written()) {
      err.println("written: " + w.location() + " (" + w.how().words() + ")");
    }
    return ExitStatus.OK;
  }
}
