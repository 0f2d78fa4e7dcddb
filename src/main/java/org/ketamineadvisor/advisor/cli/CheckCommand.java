package org.ketamineadvisor.advisor.cli;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ketamineadvisor.advisor.fhir.server.CapabilityCheck;
import org.ketamineadvisor.advisor.fhir.server.FhirServerException;
import org.ketamineadvisor.advisor.fhir.server.ServerCapabilities;
import org.ketamineadvisor.advisor.fhir.server.ServerNeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code check}: the dry run that tells, in plain words, which reads and writes a FHIR server supports. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Reads a FHIR server's CapabilityStatement (and .well-known/smart-configuration when present) and prints",
        "each read and write the app needs: supported or not, and what the app does where one is missing.",
        "Exit status: 0 everything supported; 3 something is missing (listed); 2 the server could not be read; 1 internal error."})
final class CheckCommand implements Callable<Integer> {

  @Mixin
  ServerOptions server = new ServerOptions();

  @Spec
  CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;

  CheckCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (server.fhirBase == null) {
      throw new ParameterException(spec.commandLine(), "check needs --fhir-base URL");
    }
    server.checkBase(spec.commandLine());
    ServerCapabilities capabilities;
    try {
      capabilities = new CapabilityCheck(FhirContext.forR4Cached(), server.settings()).check(server.fhirBase);
    } catch (FhirServerException e) {
      err.println("error: " + e.getMessage());
      return ExitStatus.UNREADABLE;
    }
    out.println("Server " + capabilities.baseUrl() + ": " + capabilities.software() + ", FHIR " + capabilities.fhirVersion());
    boolean allThere = true;
    for (ServerNeed need : ServerNeed.values()) {
      boolean ok = capabilities.supports(need);
      allThere &= ok;
      out.println((ok ? "  supported:     " : "  NOT supported: ") + need.what() + (ok ? "" : " -> " + need.ifMissing()));
    }
    if (capabilities.smart() == null) {
      out.println("  no SMART configuration at .well-known/smart-configuration: the app can run from the command line,"
          + " not be launched from this EHR");
    } else {
      out.println("  SMART configuration: authorize at " + capabilities.smart().authorizationEndpoint() + ", token at "
          + capabilities.smart().tokenEndpoint() + "; capabilities: " + String.join(", ", capabilities.smart().capabilities()));
    }
    out.println(capabilities.missingForWriting().isEmpty()
        ? "Writing back: possible (one transaction: RiskAssessment, CarePlan, Provenance)."
        : "Writing back: not possible; the app offers the plan as a FHIR Bundle to download instead.");
    out.flush();
    return allThere ? ExitStatus.OK : ExitStatus.INCOMPLETE;
  }
}
