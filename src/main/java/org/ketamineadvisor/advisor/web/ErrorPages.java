package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.launch.CorrelationIds;
import org.ketamineadvisor.advisor.launch.StalePages;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * Every error status a browser can get from the app, as a page in the app's words: what happened, whether anything
 * was written, and what to do — never a framework page, a stack trace, an exception's message or patient data. Only
 * pages: a client that does not ask for HTML (CDS Hooks, downloads, actuator) keeps Spring Boot's JSON error.
 */
@Component
class ErrorPages implements ErrorViewResolver {

  static final String NOTHING_WRITTEN = "Nothing was written.";
  static final String RELAUNCH = "Launch the app again from the patient's chart.";

  /** The words of one error page. */
  record ErrorWords(String title, List<String> sentences) {}

  @Override
  public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
    ErrorWords words = StalePages.isStale(request) ? stale() : words(status);
    ModelAndView page = new ModelAndView("error");
    page.addObject("title", words.title());
    page.addObject("sentences", words.sentences());
    page.addObject("code", status.value());
    // the launch's correlation id lets support find the request in the logs; it says nothing about the patient
    page.addObject("reference", CorrelationIds.of(request));
    page.setStatus(status);
    return page;
  }

  /** A form from a page older than the session (another launch in another tab or window, or an ended session). */
  static ErrorWords stale() {
    return new ErrorWords("This page is out of date", List.of("This page is out of date: the app was launched again "
        + "in another tab or window, or your session ended.", NOTHING_WRITTEN, RELAUNCH));
  }

  static ErrorWords words(HttpStatus status) {
    // by number: some statuses have two names (413 is CONTENT_TOO_LARGE and, deprecated, PAYLOAD_TOO_LARGE)
    return switch (status.value()) {
      case 400 -> new ErrorWords("The request could not be read", List.of("The app could not read what the "
          + "browser sent: a link or a form was changed or cut short.", NOTHING_WRITTEN, "Go back to the patient's "
          + "page and try again, or " + lower(RELAUNCH)));
      case 401 -> new ErrorWords("Your session has ended", List.of("The app is no longer connected to the "
          + "EHR.", NOTHING_WRITTEN, RELAUNCH));
      case 403 -> new ErrorWords("Not allowed in this session", List.of("This session may not open this page or "
          + "send this form.", NOTHING_WRITTEN, RELAUNCH));
      case 404 -> new ErrorWords("Page not found", List.of("The app has no page at this address.",
          NOTHING_WRITTEN, "To see a patient, launch the app from the patient's chart in the EHR."));
      case 405 -> new ErrorWords("This address is not opened this way", List.of("This address "
          + "belongs to a button of the patient's page and cannot be opened as a link (or a link was sent where a "
          + "button was expected).", NOTHING_WRITTEN, "Go back to the patient's page and use its buttons, or "
          + lower(RELAUNCH)));
      case 409 -> stale();
      case 413 -> new ErrorWords("What was sent is too large", List.of("The form sent more than the app "
          + "accepts.", NOTHING_WRITTEN, "Shorten what you entered (for example a reason) and send it again."));
      case 502, 504 -> new ErrorWords("The EHR did not answer", List.of("The EHR's server gave an "
          + "error, no answer in time, or an answer the app could not read.", "If you were signing or recording a "
          + "follow-up, look in the patient's chart before trying again: the app cannot tell from here whether it "
          + "was written.", "Reload the patient's page in a moment; if it keeps failing, tell your EHR support team."));
      case 503 -> new ErrorWords("The app is not available right now", List.of("The app is starting, "
          + "stopping or too busy to answer.", "If you were signing or recording a follow-up, look in the patient's "
          + "chart before trying again.", "Try again in a moment; if it keeps failing, " + lower(RELAUNCH)));
      default -> status.is4xxClientError()
          ? new ErrorWords("The request was not accepted", List.of("The app did not accept this request (HTTP "
              + status.value() + ").", NOTHING_WRITTEN, "Go back to the patient's page and try again, or "
              + lower(RELAUNCH)))
          : new ErrorWords("Something went wrong in the app", List.of("The app met a fault it did not expect while "
              + "answering.", "If you were signing or recording a follow-up, look in the patient's chart before "
              + "trying again: the app cannot tell from here whether it was written.", "Reload the patient's page, "
              + "or " + lower(RELAUNCH) + " If it keeps happening, tell your support team and give them the "
              + "reference below."));
    };
  }

  private static String lower(String sentence) {
    return Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
  }
}
