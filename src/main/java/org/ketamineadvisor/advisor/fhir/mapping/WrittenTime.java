package org.ketamineadvisor.advisor.fhir.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * A FHIR date, dateTime or instant read from the text the resource wrote (CLINICAL-RULES § 7.3):
 * {@code date} is the calendar date in the resource's own offset, {@code instant} the real moment
 * (a date without time is the start of that day in UTC). {@code partial} marks a year or year-month
 * that was widened to its first day; {@code timed} that a time of day was written (a date alone cannot be placed
 * in an hours-long window such as the infusion-day check's 4 hours).
 */
public record WrittenTime(LocalDate date, Instant instant, boolean partial, boolean timed) {

  private static final Pattern DATE_PREFIX =
      Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(T.*)?)?)?");

  /**
   * Reads the element as written. HAPI keeps the written text even when it could not parse it
   * (lenient parsing), so an invalid date reaches us as text and is reported, not lost.
   *
   * @return null when the element is absent or empty
   * @throws DateTimeException when the text is not a FHIR date/dateTime/instant
   */
  public static WrittenTime of(BaseDateTimeType element) {
    if (element == null) {
      return null;
    }
    String text = element.getValueAsString();
    return text == null || text.isBlank() ? null : parse(text.trim());
  }

  /** Parses "YYYY", "YYYY-MM", "YYYY-MM-DD" or a full dateTime with offset. */
  static WrittenTime parse(String text) {
    try {
      return parseChecked(text);
    } catch (DateTimeException e) {
      throw new DateTimeException("'" + text + "' is not a date");
    }
  }

  private static WrittenTime parseChecked(String text) {
    Matcher m = DATE_PREFIX.matcher(text);
    if (!m.matches()) {
      throw new DateTimeException("no date");
    }
    int year = Integer.parseInt(m.group(1));
    if (m.group(2) == null) {
      return startOfDay(LocalDate.of(year, 1, 1), true);
    }
    int month = Integer.parseInt(m.group(2));
    if (m.group(3) == null) {
      return startOfDay(LocalDate.of(year, month, 1), true);
    }
    LocalDate date = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
    if (m.group(4) == null) {
      return startOfDay(date, false);
    }
    return new WrittenTime(date, instantOf(text), false, true);
  }

  private static WrittenTime startOfDay(LocalDate date, boolean partial) {
    return new WrittenTime(date, date.atStartOfDay(ZoneOffset.UTC).toInstant(), partial, false);
  }

  private static Instant instantOf(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      // FHIR requires an offset with a time, but records without one exist; UTC is the least surprising reading.
      try {
        return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new DateTimeException("not a time");
      }
    }
  }
}
