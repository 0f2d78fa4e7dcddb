package org.ketamineadvisor.advisor.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import picocli.CommandLine.Command;

/** The command-line entry: {@code assess} and {@code check}, without starting the web app. */
@Command(name = "ketamine-advisor", mixinStandardHelpOptions = true, versionProvider = AppVersion.class,
    description = "Ketamine Infusion Advisor: assesses suitability for IV ketamine in neuropathic pain.",
    subcommands = {AssessCommand.class, CheckCommand.class})
public final class CommandLine {

  /** First arguments that select the command line instead of the web app. */
  public static final Set<String> COMMANDS = Set.of("assess", "check", "--help", "-h", "--version", "-V");

  private CommandLine() {}

  /** Runs a command and returns its exit status: 0 ok, 2 bad input or usage, 1 an internal failure. */
  public static int run(String[] args, Clock clock) {
    return run(args, clock, new PrintWriter(System.out, false, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  /** As {@link #run(String[], Clock)}, writing to the given streams. */
  public static int run(String[] args, Clock clock, PrintWriter out, PrintWriter err) {
    picocli.CommandLine cli = new picocli.CommandLine(new CommandLine(), new CommandFactory(clock, out, err));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println("error: " + ex.getMessage());
      return 1;
    });
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** Gives commands the clock and the streams (tests pass their own). */
  private record CommandFactory(Clock clock, PrintWriter out, PrintWriter err) implements picocli.CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == AssessCommand.class) {
        return cls.cast(new AssessCommand(clock, out, err));
      }
      if (cls == CheckCommand.class) {
        return cls.cast(new CheckCommand(out, err));
      }
      return picocli.CommandLine.defaultFactory().create(cls);
    }
  }
}
