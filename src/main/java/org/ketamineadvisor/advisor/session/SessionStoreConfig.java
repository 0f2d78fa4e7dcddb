package org.ketamineadvisor.advisor.session;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/**
 * Shared HTTP sessions on Redis when {@code advisor.session.store=redis} (with {@code spring.data.redis.*}): any
 * instance behind a load balancer serves any request of a launch. Session values are encrypted before they reach
 * Redis ({@link EncryptingSessionSerializer}); keys are namespaced {@code ketamine-advisor:session}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "advisor.session", name = "store", havingValue = "redis")
@EnableRedisHttpSession(redisNamespace = "ketamine-advisor:session", maxInactiveIntervalInSeconds = 1800)
@Import(RedisAutoConfiguration.class)
class SessionStoreConfig {

  /**
   * The session cookie as {@code server.servlet.session.cookie.*} says for in-memory sessions (HttpOnly, Secure
   * outside the sandbox, SameSite), under Spring Session's name {@code SESSION}.
   */
  @Bean
  org.springframework.session.web.http.CookieSerializer cookieSerializer(
      org.springframework.boot.autoconfigure.web.ServerProperties server) {
    var cookie = server.getServlet().getSession().getCookie();
    var serializer = new org.springframework.session.web.http.DefaultCookieSerializer();
    if (cookie.getName() != null) {
      serializer.setCookieName(cookie.getName());
    }
    serializer.setUseSecureCookie(Boolean.TRUE.equals(cookie.getSecure()));
    serializer.setUseHttpOnlyCookie(!Boolean.FALSE.equals(cookie.getHttpOnly()));
    serializer.setSameSite(cookie.getSameSite() == null ? "Lax" : cookie.getSameSite().attributeValue());
    return serializer;
  }

  /** Signings of one patient never overlap on any instance (the fresh chart search and the write). */
  @Bean
  org.ketamineadvisor.advisor.workspace.SigningLock sharedSigningLock(
      org.springframework.data.redis.core.StringRedisTemplate redis) {
    return new RedisSigningLock(redis);
  }

  /** Spring Session uses the bean of this name for every session attribute. */
  @Bean
  RedisSerializer<Object> springSessionDefaultRedisSerializer(
      org.springframework.core.env.Environment environment) {
    return new EncryptingSessionSerializer(SessionKeys.from(environment.getProperty(
        "advisor.session.encryption-keys", "")));
  }
}
