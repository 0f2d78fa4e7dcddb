package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every FHIR request for a fixed time before the server answers: a remote EHR's network and queues, without
 * its CPU (a sleeping thread costs none), so that a benchmark on one machine sees what an app waiting on an EHR sees.
 */
final class NetworkLatency extends OncePerRequestFilter {

  private volatile Duration latency;

  NetworkLatency(Duration latency) {
    this.latency = latency;
  }

  void set(Duration hold) {
    if (hold == null || hold.isNegative()) {
      throw new IllegalArgumentException("a hold must be zero or more, not " + hold);
    }
    this.latency = hold;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long millis = latency.toMillis();
    try {
      if (millis > 0) {
        Thread.sleep(millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while simulating network latency", e);
    }
    chain.doFilter(request, response);
  }
}
