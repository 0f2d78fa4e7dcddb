package org.ketamineadvisor.advisor.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.RuleSettings;

/**
 * The form that settles a data rule by value (CLINICAL-RULES § 2.4), validated: the value, or what to correct. A
 * value must have been measured on or before the assessment date and within the rule's look-back window, or it
 * would not settle anything; times are UTC, as the page shows them.
 */
record EnteredValueForm(EnteredValue value, List<String> problems) {

  static EnteredValueForm parse(RuleId rule, Map<String, String> form, LocalDate asOf, Instant now, String author,
      String authorName) {
    List<String> problems = new ArrayList<>();
    if (rule == null || rule.category() != RuleId.Category.DATA) {
      return new EnteredValueForm(null, List.of("Only missing measurements are entered as values: reload the page "
          + "and try again."));
    }
    Instant measuredAt = measuredAt(rule, form, asOf, now, problems);
    EnteredValue.Reading reading = null;
    try {
      reading = switch (rule) {
        case DATA_BP -> new EnteredValue.BloodPressure(whole(form, "systolic", "systolic pressure (mmHg)", problems),
            whole(form, "diastolic", "diastolic pressure (mmHg)", problems));
        case DATA_WEIGHT -> new EnteredValue.Weight(number(form, "weight", "weight", problems),
            form.getOrDefault("weightUnit", "kg"));
        case DATA_PAIN_BASELINE -> new EnteredValue.PainScore(whole(form, "pain", "pain score (0-10)", problems));
        case DATA_LFT -> new EnteredValue.LiverTests(optionalNumber(form, "alt", "ALT", problems),
            optionalNumber(form, "ast", "AST", problems), number(form, "uln", "upper limit of normal", problems));
        default -> null;
      };
    } catch (IllegalArgumentException e) {
      if (problems.isEmpty()) {
        problems.add(capitalised(e.getMessage()) + ".");
      }
    }
    if (!problems.isEmpty() || reading == null) {
      return new EnteredValueForm(null, problems.isEmpty() ? List.of("Enter the value.") : problems);
    }
    return new EnteredValueForm(new EnteredValue(reading, measuredAt, author, authorName, now), List.of());
  }

  private static Instant measuredAt(RuleId rule, Map<String, String> form, LocalDate asOf, Instant now,
      List<String> problems) {
    String date = form.getOrDefault("measuredDate", "").strip();
    String time = form.getOrDefault("measuredTime", "").strip();
    LocalDate day;
    LocalTime at;
    try {
      day = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      problems.add("Give the date it was measured as YYYY-MM-DD" + (date.isEmpty() ? "." : " ('" + date + "' is not a "
          + "date)."));
      return null;
    }
    try {
      at = LocalTime.parse(time);
    } catch (DateTimeParseException e) {
      problems.add("Give the time it was measured as HH:MM (UTC)" + (time.isEmpty() ? "." : " ('" + time + "' is not a "
          + "time)."));
      return null;
    }
    Instant measured = day.atTime(at).toInstant(ZoneOffset.UTC);
    int window = windowDays(rule);
    if (day.isAfter(asOf) || measured.isAfter(now)) {
      problems.add("The value cannot be dated after the assessment date " + asOf + " or in the future: the assessment "
          + "reads nothing dated after it.");
    } else if (day.isBefore(asOf.minusDays(window))) {
      problems.add("A value measured before " + asOf.minusDays(window) + " does not settle this: the rule looks back "
          + window + " days. Measure it again.");
    }
    return measured;
  }

  static int windowDays(RuleId rule) {
    RuleSettings settings = RuleSettings.defaults();
    return switch (rule) {
      case DATA_BP -> settings.bloodPressureWindowDays();
      case DATA_WEIGHT -> settings.weightWindowDays();
      case DATA_PAIN_BASELINE -> settings.painScoreWindowDays();
      default -> settings.liverTestWindowDays();
    };
  }

  private static int whole(Map<String, String> form, String field, String name, List<String> problems) {
    String v = form.getOrDefault(field, "").strip();
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      problems.add("Enter the " + name + " as a whole number" + (v.isEmpty() ? "." : " ('" + v + "' is not one)."));
      return -1;
    }
  }

  private static BigDecimal number(Map<String, String> form, String field, String name, List<String> problems) {
    BigDecimal n = optionalNumber(form, field, name, problems);
    if (n == null && problems.isEmpty()) {
      problems.add("Enter the " + name + ".");
    }
    return n;
  }

  private static BigDecimal optionalNumber(Map<String, String> form, String field, String name, List<String> problems) {
    String v = form.getOrDefault(field, "").strip().replace(',', '.');
    if (v.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      problems.add("Enter the " + name + " as a number ('" + v + "' is not one).");
      return null;
    }
  }

  private static String capitalised(String s) {
    return s == null || s.isEmpty() ? "The value is not valid" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
