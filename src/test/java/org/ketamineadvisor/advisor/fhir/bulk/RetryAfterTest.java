package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retry-After in the forms real Bulk Data servers send, and the polling interval built on it. */
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  @Test
  void deltaSecondsAreAWait() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void anHttpDateIsAMoment() {
    String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC));
    assertThat(RetryAfter.parse(inNinetySeconds, NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void anIntegerAboveOneBillionIsAnEpochTimestamp() {
    // the SMART reference server's 429: the moment the lock ends, in epoch seconds
    assertThat(RetryAfter.parse(String.valueOf(NOW.getEpochSecond() + 300), NOW)).contains(Duration.ofSeconds(300));
    assertThat(RetryAfter.parse(String.valueOf(NOW.toEpochMilli() + 1500), NOW)).contains(Duration.ofMillis(1500));
  }

  @Test
  void aMomentAlreadyPastMeansNow() {
    assertThat(RetryAfter.parse(String.valueOf(NOW.getEpochSecond() - 5), NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse(String.valueOf(NOW.toEpochMilli() - 5), NOW)).contains(Duration.ZERO);
  }

  @Test
  void noHeaderOrAnUnreadableOneIsNoWait() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-3", NOW)).isEmpty();
  }

  @Test
  void withoutRetryAfterTheIntervalGrowsFromOneSecondToTheCap() {
    PollInterval interval = new PollInterval();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waits.add(interval.next(Optional.empty()));
    }
    assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(waits.get(1)).isEqualTo(Duration.ofMillis(1500));
    assertThat(waits).isSorted().allMatch(w -> w.compareTo(PollInterval.CAP) <= 0);
    assertThat(waits.get(19)).isEqualTo(PollInterval.CAP);
    // 60 status requests a minute lock the reference server out for 5 minutes: the first minute stays well under
    long inFirstMinute = 0;
    Duration total = Duration.ZERO;
    for (Duration wait : waits) {
      total = total.plus(wait);
      if (total.compareTo(Duration.ofMinutes(1)) <= 0) {
        inFirstMinute++;
      }
    }
    assertThat(inFirstMinute).isLessThan(15);
  }

  @Test
  void aRetryAfterOfOneSecondGrowsLikeNoneAndALongerOneIsHonoured() {
    PollInterval interval = new PollInterval();
    interval.next(Optional.of(Duration.ofSeconds(1)));
    assertThat(interval.next(Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofMillis(1500));
    assertThat(interval.next(Optional.of(Duration.ofSeconds(120)))).isEqualTo(Duration.ofSeconds(120));
  }
}
