package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export's progress on stderr, one line: a bar when the server's {@code X-Progress} gives a percentage, else the
 * time elapsed, with the server's text. On a terminal the line is rewritten in place ({@code \r}); in a log (no
 * terminal) a plain line is written at most every {@link #LOG_EVERY}, so logs do not fill up.
 */
final class ProgressLine {

  static final Duration LOG_EVERY = Duration.ofSeconds(10);
  static final int WIDTH = 20;
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");

  private final PrintWriter err;
  private final boolean terminal;
  private final Clock clock;
  private final Instant started;
  private Instant lastLogged;
  private String status = "";
  private int lastLength;

  ProgressLine(PrintWriter err, boolean terminal, Clock clock) {
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** The server's latest status text (X-Progress, or what the client is doing); null keeps the last. */
  void show(String serverText) {
    if (serverText != null) {
      status = OutcomeText.redact(serverText.replaceAll("\\p{Cntrl}", " ").trim());
      if (status.length() > 60) {
        status = status.substring(0, 60) + "…";
      }
    }
    tick();
  }

  /** Redraws the line (terminal) or writes it when it is due (log). */
  void tick() {
    String line = render();
    if (terminal) {
      String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
      err.print("\r" + padded);
      err.flush();
      lastLength = line.length();
    } else if (lastLogged == null || !clock.instant().isBefore(lastLogged.plus(LOG_EVERY))) {
      err.println(line);
      lastLogged = clock.instant();
    }
  }

  /** Ends the line (terminal) so the next message starts on its own. */
  void end() {
    if (terminal && lastLength > 0) {
      err.println();
      lastLength = 0;
    }
  }

  String render() {
    String elapsed = elapsed(Duration.between(started, clock.instant()));
    Matcher percent = PERCENT.matcher(status);
    String bar;
    if (percent.find()) {
      double value = Math.min(100, Double.parseDouble(percent.group(1)));
      int filled = (int) Math.round(value / 100 * WIDTH);
      bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + Math.round(value) + "%";
    } else {
      bar = "[" + spinner() + "]";
    }
    return "export " + bar + "  " + elapsed + (status.isEmpty() ? "" : "  " + status);
  }

  private String spinner() {
    long seconds = Duration.between(started, clock.instant()).toSeconds();
    int at = (int) (seconds % WIDTH);
    return ".".repeat(at) + "#" + ".".repeat(WIDTH - at - 1);
  }

  static String elapsed(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format("%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format("%dm %02ds", s / 60, s % 60);
  }
}
