package org.ketamineadvisor.advisor.cli;

import org.ketamineadvisor.advisor.workspace.AppVersion;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** The command-line entry: {@code assess}, {@code screen}, {@code check} and {@code validate}, without the web app. */
@Command(name = "ketamine-advisor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Ketamine Infusion Advisor: assesses suitability for IV ketamine in neuropathic pain.",
        "Commands: assess, check, validate, screen, backend-key; 'serve' (or no command) starts the web app."},
    subcommands = {AssessCommand.class, CheckCommand.class, ValidateCommand.class, ScreenCommand.class,
        BackendKeyCommand.class})
public final class CommandLine {

  /** First arguments that select the command line instead of the web app. */
  public static final Set<String> COMMANDS = Set.of("assess", "check", "validate", "screen", "backend-key",
      "--help", "-h", "--version", "-V");

  /** The command that starts the web app (also started with no command at all). */
  public static final String SERVE = "serve";

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
    cli.registerConverter(java.time.LocalDate.class, value -> {
      try {
        return java.time.LocalDate.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a date: use YYYY-MM-DD");
      }
    });
    cli.setUsageHelpWidth(80);
    cli.getSubcommands().values().forEach(sub -> sub.setUsageHelpWidth(80));
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println("error: " + failure(ex));
      return ExitStatus.INTERNAL_ERROR;
    });
    // a usage error is one line that names the option and the fix, and where to read more; never the whole usage
    cli.setParameterExceptionHandler((ex, arguments) -> {
      picocli.CommandLine where = ex.getCommandLine();
      String name = where.getCommandName();
      if (ex instanceof picocli.CommandLine.UnmatchedArgumentException unmatched && where == cli
          && !arguments[0].startsWith("-")) {
        List<String> suggestions = unmatched.getSuggestions();
        err.println("error: unknown command '" + arguments[0] + "'; the commands are assess, screen, check, validate, "
            + "backend-key and serve (the web app)"
            + (suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?"));
      } else {
        err.println("error: " + usageMessage(ex));
      }
      err.println("Run 'ketamine-advisor " + (where == cli ? "" : name + " ") + "--help' for the options.");
      err.flush();
      return ExitStatus.UNREADABLE;
    });
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * What failed, in one line and never a stack trace: a file system error names the path and what is wrong with it
   * (Java's own message is often the bare path); anything else its message, or what kind of fault it was.
   */
  static String failure(Exception ex) {
    if (ex instanceof java.nio.file.NoSuchFileException e) {
      return e.getFile() + ": no such file or directory";
    }
    if (ex instanceof java.nio.file.AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    if (ex instanceof java.nio.file.FileAlreadyExistsException e) {
      return e.getFile() + ": already exists and is not a folder";
    }
    if (ex instanceof java.nio.file.FileSystemException e) {
      return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "cannot be used");
    }
    if (ex.getMessage() == null || ex.getMessage().isBlank()) {
      return "internal error (" + ex.getClass().getSimpleName() + "); please report it with the command you ran";
    }
    return ex.getMessage();
  }

  /** picocli's message, in the app's words where picocli's are about Java types. */
  static String usageMessage(picocli.CommandLine.ParameterException ex) {
    String message = ex.getMessage();
    if (message == null) {
      return "the command line is not valid";
    }
    // "Invalid value for option '--as-of': '2026-13-01' is not a LocalDate" and the like
    return message.replaceAll(" is not a LocalDate.*", " is not a date: use YYYY-MM-DD")
        .replaceAll("java\\.[\\w.]+\\.", "");
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
      if (cls == ValidateCommand.class) {
        return cls.cast(new ValidateCommand(out, err));
      }
      if (cls == ScreenCommand.class) {
        return cls.cast(new ScreenCommand(clock, out, err));
      }
      if (cls == BackendKeyCommand.class) {
        return cls.cast(new BackendKeyCommand(out, err));
      }
      return picocli.CommandLine.defaultFactory().create(cls);
    }
  }
}
