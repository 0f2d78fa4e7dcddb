package org.ketamineadvisor.advisor.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ketamineadvisor.advisor.workspace.SigningLock;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;

/**
 * The signing lock across instances: {@code SET key token NX PX} in the shared Redis, released only by its holder
 * (compare-and-delete), expiring on its own if an instance dies while holding it. The key names the patient by a
 * hash, never by its id.
 */
final class RedisSigningLock implements SigningLock {

  private static final Duration HOLD = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final DefaultRedisScript<Long> RELEASE = new DefaultRedisScript<>(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", Long.class);

  private final StringRedisTemplate redis;

  RedisSigningLock(StringRedisTemplate redis) {
    this.redis = redis;
  }

  @Override
  public Held acquire(String key) {
    String name = "ketamine-advisor:signing:" + sha256(key);
    String token = UUID.randomUUID().toString();
    Instant giveUp = Instant.now().plus(WAIT);
    while (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(name, token, HOLD))) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("another signing of this patient is still in progress");
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for another signing of this patient");
      }
    }
    return () -> redis.execute(RELEASE, List.of(name), token);
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
