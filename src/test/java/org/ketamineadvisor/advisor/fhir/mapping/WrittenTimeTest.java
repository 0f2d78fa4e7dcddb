package org.ketamineadvisor.advisor.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WrittenTimeTest {

  @ParameterizedTest
  @CsvSource({
      "2026-05-20T23:30:00-05:00,     2026-05-20, 2026-05-21T04:30:00Z,     false",
      "2026-05-21T00:10:00+14:00,     2026-05-21, 2026-05-20T10:10:00Z,     false",
      "2026-05-20T10:15:30.123456Z,   2026-05-20, 2026-05-20T10:15:30.123456Z, false",
      "2026-05-20T10:15:30,           2026-05-20, 2026-05-20T10:15:30Z,     false",
      "2026-05-20,                    2026-05-20, 2026-05-20T00:00:00Z,     false",
      "2026-05,                       2026-05-01, 2026-05-01T00:00:00Z,     true",
      "2026,                          2026-01-01, 2026-01-01T00:00:00Z,     true",
      "2024-02-29,                    2024-02-29, 2024-02-29T00:00:00Z,     false",
  })
  void dateIsAsWrittenAndInstantIsTheRealMoment(String text, LocalDate date, Instant instant, boolean partial) {
    WrittenTime t = WrittenTime.parse(text);

    assertThat(t.date()).isEqualTo(date);
    assertThat(t.instant()).isEqualTo(instant);
    assertThat(t.partial()).isEqualTo(partial);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2020-13-01", "2023-02-29", "20-05-01", "yesterday", "2026-05-20T25:00:00Z",
      "2026-05-20 10:00", "2026-05-20Tnoon"})
  void invalidTextIsRejectedWithTheTextInTheMessage(String text) {
    assertThatThrownBy(() -> WrittenTime.parse(text))
        .isInstanceOf(DateTimeException.class)
        .hasMessage("'" + text + "' is not a date");
  }
}
