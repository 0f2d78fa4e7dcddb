package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's "EHR date and time" form: shows the {@link EhrClock} and sets it to a date and time, or moves it on
 * by a day or a week, so that a tester walks a course through its sessions and follow-ups in minutes (the app in
 * {@code spring-boot:test-run} follows it). Tokens keep real time.
 */
final class EhrClockForm extends HttpServlet {

  static final String PATH = "/ehr/clock";

  private static final Logger log = LoggerFactory.getLogger(EhrClockForm.class);
  private static final DateTimeFormatter ENTERED = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm");
  private static final DateTimeFormatter FIELD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ENGLISH);
  /** {@link EhrClock#ZONE} as people name it. */
  private static final String ZONE_NAME = "UTC";
  private static final Map<String, Duration> STEPS = Map.of("P1D", Duration.ofDays(1), "P7D", Duration.ofDays(7));

  private final SandboxSetup setup;

  EhrClockForm(SandboxSetup setup) {
    this.setup = setup;
  }

  /** The EHR's time as the pages show it: "Tue 2026-06-02 09:30 UTC". */
  static String shown(EhrClock clock) {
    return ZonedDateTime.ofInstant(clock.instant(), EhrClock.ZONE).format(SHOWN) + " " + ZONE_NAME;
  }

  /** The form for the EHR's patient list; {@code error} (may be null) says what was wrong with the last entry. */
  static String form(HttpServletRequest request, EhrClock clock, String error) {
    String now = ZonedDateTime.ofInstant(clock.instant(), EhrClock.ZONE).format(FIELD);
    return "<form id=\"ehr-clock\" class=\"ehr-clock\" method=\"post\" action=\"" + PATH + "\""
        + " aria-labelledby=\"ehr-clock-label\">" + SandboxPages.csrfField(request)
        + "<p><strong id=\"ehr-clock-label\">EHR date and time</strong>: <span id=\"ehr-now\">"
        + SandboxPages.escape(shown(clock)) + "</span> (time zone " + ZONE_NAME
        + "; staff record \"now\" at this time and the app's day follows it).</p>"
        + (error == null ? "" : "<p class=\"error\" role=\"alert\">" + SandboxPages.escape(error) + "</p>")
        + "<label for=\"ehr-at\">Set the EHR date and time (YYYY-MM-DD HH:MM, UTC)</label> "
        + "<input id=\"ehr-at\" name=\"at\" type=\"text\" inputmode=\"numeric\" required "
        + "pattern=\"\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}\" value=\"" + SandboxPages.escape(now) + "\"> "
        + "<button type=\"submit\" name=\"set\" value=\"at\">Set</button> "
        + "<button type=\"submit\" class=\"secondary\" name=\"advance\" value=\"P1D\" formnovalidate>+1 day</button> "
        + "<button type=\"submit\" class=\"secondary\" name=\"advance\" value=\"P7D\" formnovalidate>+1 week</button>"
        + "</form>";
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    EhrClock clock = setup.ehrClock();
    String advance = request.getParameter("advance");
    if (advance != null) {
      Duration step = STEPS.get(advance);
      if (step == null) {
        refuse(request, response, "Move the EHR clock by P1D (a day) or P7D (a week), not " + advance + ".");
        return;
      }
      clock.advance(step);
    } else {
      String at = request.getParameter("at");
      try {
        clock.set(LocalDateTime.parse(at == null ? "" : at.strip(), ENTERED).atZone(EhrClock.ZONE).toInstant());
      } catch (DateTimeParseException e) {
        refuse(request, response, "The EHR date and time must look like 2026-06-02 09:30 (UTC), not \"" + at + "\".");
        return;
      }
    }
    log.info("Sandbox EHR clock now {}", clock.instant());
    // back to the patient list, where the new time shows (a reload does not move the clock twice)
    response.sendRedirect(SandboxPages.EHR_PATH);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
    SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "EHR date and time",
        form(request, setup.ehrClock(), why) + "<p><a href=\"" + SandboxPages.EHR_PATH
            + "\">Back to the patient list</a></p>");
  }
}
