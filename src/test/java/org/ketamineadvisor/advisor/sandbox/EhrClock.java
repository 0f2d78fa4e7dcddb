package org.ketamineadvisor.advisor.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox EHR's date and time, which a tester sets (the simulator's "EHR date and time" form) to walk a course
 * through its sessions and follow-ups in minutes: set to an instant, it runs on from there. Shared by the EHR's pages
 * and recordings and, in {@code spring-boot:test-run} and the tests that start both, by the app as its clinic clock.
 *
 * <p>Never used for tokens: they are issued and checked on {@link SandboxOptions#clock()} (real time, which tests
 * move to expire them), so moving the EHR twelve weeks ahead expires no token and no CDS Hooks JWT.
 */
public final class EhrClock extends Clock {

  /** The zone the EHR shows its time in; the app's default clinic zone too. */
  public static final ZoneId ZONE = ZoneOffset.UTC;

  private final Clock ticking;
  private final AtomicReference<Duration> offset;
  private final ZoneId zone;

  private EhrClock(Clock ticking, AtomicReference<Duration> offset, ZoneId zone) {
    this.ticking = ticking;
    this.offset = offset;
    this.zone = zone;
  }

  /** On {@code day} at {@code ticking}'s current time of day (UTC), running on with it. */
  static EhrClock startingOn(LocalDate day, Clock ticking) {
    Objects.requireNonNull(day, "day");
    Instant now = ticking.instant();
    Instant start = day.atTime(now.atOffset(ZoneOffset.UTC).toLocalTime()).toInstant(ZoneOffset.UTC);
    return new EhrClock(ticking, new AtomicReference<>(Duration.between(now, start)), ZONE);
  }

  /** From now on the EHR's time is {@code at}, running on from there. */
  public void set(Instant at) {
    Objects.requireNonNull(at, "at");
    offset.set(Duration.between(ticking.instant(), at));
  }

  /** Moves the EHR's time by {@code by} (a day, a week), running on from there. */
  public void advance(Duration by) {
    Objects.requireNonNull(by, "by");
    offset.updateAndGet(current -> current.plus(by));
  }

  @Override
  public Instant instant() {
    return ticking.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same EHR time seen in another zone: setting either moves both. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return newZone.equals(zone) ? this : new EhrClock(ticking, offset, newZone);
  }
}
