package org.ketamineadvisor.advisor.session;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Whether this instance can reach its session store, part of readiness ({@code /actuator/health/readiness}): with
 * the shared store (Redis) an instance that cannot reach it would lose every clinician's launch, so the balancer must
 * stop sending it requests; with in-memory sessions (one instance) it is always up.
 */
@Component("sessionStore")
class SessionStoreHealth implements HealthIndicator {

  private final ObjectProvider<RedisConnectionFactory> redis;

  SessionStoreHealth(ObjectProvider<RedisConnectionFactory> redis) {
    this.redis = redis;
  }

  @Override
  public Health health() {
    RedisConnectionFactory factory = redis.getIfAvailable();
    if (factory == null) {
      return Health.up().withDetail("store", "memory (this instance only)").build();
    }
    try (RedisConnection connection = factory.getConnection()) {
      String pong = connection.ping();
      return "PONG".equalsIgnoreCase(pong) ? Health.up().withDetail("store", "redis").build()
          : Health.down().withDetail("store", "redis").withDetail("reason", "no PONG to PING").build();
    } catch (RuntimeException e) {
      // the exception's class only: its message may carry the store's address
      return Health.down().withDetail("store", "redis").withDetail("reason", "unreachable ("
          + e.getClass().getSimpleName() + ")").build();
    }
  }
}
