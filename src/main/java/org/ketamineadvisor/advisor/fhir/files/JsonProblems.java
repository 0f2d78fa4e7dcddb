package org.ketamineadvisor.advisor.fhir.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What is wrong with a JSON text, in words a person fixing the file understands (no parser internals). */
final class JsonProblems {

  private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");

  private JsonProblems() {}

  static String inWords(JsonProcessingException e) {
    String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String lower = raw.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("end-of-input") || lower.contains("end of input")) {
      return lower.contains("quote") ? "the text ends inside a string (a closing quote is missing)"
          : "the text ends before the JSON is complete (a closing bracket or brace is missing)";
    }
    Matcher unexpected = UNEXPECTED.matcher(raw);
    if (unexpected.find()) {
      String expected = raw.contains("double-quote to start field name") ? "; a field name in double quotes was expected"
          : raw.contains("comma to separate") ? "; a comma was expected" : "";
      return "unexpected '" + unexpected.group(1) + "'" + expected;
    }
    if (lower.contains("unrecognized token")) {
      Matcher token = Pattern.compile("token '(.+?)'").matcher(raw);
      return "unknown word" + (token.find() ? " '" + token.group(1) + "'" : "") + " (text must be in double quotes)";
    }
    if (lower.contains("duplicate field")) {
      return "a field appears twice in the same object";
    }
    // keep the first clause only, without the parser's source excerpt or type names
    String first = raw.split("\n")[0].replaceAll("\\(code \\d+\\)", "").replaceAll("\\s+", " ").strip();
    return first.isEmpty() ? "the JSON is not valid" : Character.toLowerCase(first.charAt(0)) + first.substring(1);
  }
}
