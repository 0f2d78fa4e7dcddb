package org.ketamineadvisor.advisor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.cli.CommandLine;
import org.ketamineadvisor.advisor.launch.EhrRegistration;

/**
 * The documented command-line day-check example (in the clinician's guide, where the README sends its reader), run
 * as written against the sandbox: the command line is read from the guide (only the sandbox's port, which tests
 * choose freely, and the token {@code T} are put in), and every value the guide shows in its output line must be in
 * the real output. The docs cannot drift from the sandbox again (they once promised "go" where the sandbox said
 * "hold").
 */
class ReadmeDayCheckExampleTest {

  /** Where the README sends the reader for the course after signing: the example lives there. */
  private static final String GUIDE = "docs/clinician-guide.md";
  private static final String PROMPT = "$ java -jar target/ketamine-advisor.jar assess ";
  private static final String README_FHIR_BASE = "http://localhost:8090/fhir";
  /** A documented scalar of the output line: "decision":"go", "session":4, "mgPerHour":25.0. */
  private static final Pattern SCALAR = Pattern.compile("\"[A-Za-z]+\":(\"[^\"…]*\"|-?[0-9][0-9.]*)");

  private static SandboxEhr sandbox;

  /**
   * The sandbox as started at noon UTC (today's date; the clock ticks on from there): its start-up readings fall
   * after the example's 09:00, the case the README once got wrong, and a run at any hour checks the same thing.
   */
  @BeforeAll
  static void startSandbox() {
    Instant noon = LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    Clock startedAtNoon = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), noon));
    sandbox = SandboxEhr.start(SandboxOptions.defaults().withAppBase("http://localhost:8080")
        .withClock(startedAtNoon));
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @Test
  void theReadmesDayCheckExampleGivesWhatTheReadmeShows() throws IOException {
    List<String> readme = Files.readAllLines(Path.of(GUIDE));
    int at = -1;
    for (int i = 0; i < readme.size(); i++) {
      if (readme.get(i).startsWith(PROMPT) && readme.get(i).contains("--day-check")) {
        assertThat(at).as("one day-check example in " + GUIDE).isEqualTo(-1);
        at = i;
      }
    }
    assertThat(at).as("%s shows a day-check example starting with '%s'", GUIDE, PROMPT).isNotNegative();
    String command = readme.get(at);
    String documented = readme.get(at + 1);
    assertThat(command).contains(README_FHIR_BASE);

    List<String> args = new ArrayList<>(Arrays.asList(command.substring(PROMPT.length()).trim().split("\\s+")));
    args.add(0, "assess");
    String patient = args.get(args.indexOf("--patient") + 1);
    args.set(args.indexOf("--fhir-base") + 1, sandbox.fhirBaseUrl());
    // T: the token a launch gets for the patient (the app's default scopes)
    args.set(args.indexOf("--bearer-token") + 1,
        sandbox.patientToken(patient, EhrRegistration.DEFAULT_SCOPES, "Practitioner/dr-ada"));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CommandLine.run(args.toArray(String[]::new), Clock.systemUTC(), new PrintWriter(out),
        new PrintWriter(err));
    assertThat(status).as("exit status; stderr: %s", err).isZero();
    String line = out.toString().strip();

    Matcher scalars = SCALAR.matcher(documented);
    List<String> shown = new ArrayList<>();
    while (scalars.find()) {
      shown.add(scalars.group());
    }
    assertThat(shown).as("the README's output line shows values to check").contains("\"decision\":\"go\"");
    assertThat(line).as("the real output of the README's command").contains(shown);
    // the documented values in the documented order (the checks: BP, heart rate, SpO2)
    assertThat(line).containsSubsequence(shown);
  }
}
