package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer;

/** {@code check} against the embedded HAPI JPA server, and against an address where nothing answers. */
class CheckCommandTest {

  @Test
  void tellsWhatTheServerSupportsInPlainWordsWithoutPrintingTheToken() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"check", "--fhir-base", EmbeddedFhirServer.shared().baseUrl(),
        "--bearer-token", "s3cr3t-token"}, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .contains("HAPI FHIR", "FHIR 4.0.1")
        .contains("  supported:     search Condition by patient\n")
        .contains("  supported:     search Observation by patient, code and date\n")
        .contains("  supported:     transaction Bundles\n")
        .contains("Writing back: possible")
        .contains("no SMART configuration")
        .doesNotContain("s3cr3t-token");
    assertThat(status).isZero();
  }

  @Test
  void aServerThatDoesNotAnswerIsAnErrorThatSaysWhatToCheck() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(new String[] {"check", "--fhir-base", "http://localhost:1/fhir", "--max-retries", "0",
        "--connect-timeout", "1"}, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: could not read the CapabilityStatement of http://localhost:1/fhir/metadata")
        .contains("check the URL and that the server is up");
  }
}
