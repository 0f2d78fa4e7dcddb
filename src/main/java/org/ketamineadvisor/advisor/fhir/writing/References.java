package org.ketamineadvisor.advisor.fhir.writing;

import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import java.util.regex.Pattern;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;

/** Small conversions the write-back mappers share: references and UTC timestamps. */
final class References {
  private static final Pattern RELATIVE_OR_ABSOLUTE =
      Pattern.compile("^(https?://\\S+/)?[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/\\S+)?$");
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private References() {}

  /** "Practitioner/123" or "https://ehr/fhir/Practitioner/123", as opposed to a person's name. */
  static boolean looksLikeReference(String s) {
    return s != null && RELATIVE_OR_ABSOLUTE.matcher(s).matches();
  }

  /** A dateTime in UTC to the second, so that the written resources do not depend on the host's zone. */
  static DateTimeType utc(Instant instant) {
    return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.SECOND, UTC);
  }

  static InstantType utcInstant(Instant instant) {
    return new InstantType(Date.from(instant), TemporalPrecisionEnum.MILLI, UTC);
  }
}
