package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Shortens the {@code Retry-After} of HAPI's bulk export status answers. HAPI 8.8 answers every 202 of
 * {@code $export-poll-status} with {@code Retry-After: 120}, and a Bulk Data client that honours it (as it must)
 * would wait two minutes per poll in a test, where an export of a few patients is ready in a second or two.
 * Everything else HAPI says (status, {@code X-Progress}, body) passes unchanged.
 */
final class BulkStatusRetryAfter extends OncePerRequestFilter {

  /** The status operation's name without its {@code $}, which a client may send percent-encoded. */
  private static final String STATUS_OPERATION = "export-poll-status";
  private static final String RETRY_AFTER = "Retry-After";

  private final String seconds;

  BulkStatusRetryAfter(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("Retry-After must be zero or more seconds, not " + seconds);
    }
    this.seconds = Integer.toString(seconds);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!request.getRequestURI().endsWith(STATUS_OPERATION)) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(request, new HttpServletResponseWrapper(response) {
      @Override
      public void setHeader(String name, String value) {
        super.setHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
      }

      @Override
      public void addHeader(String name, String value) {
        super.addHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
      }
    });
  }
}
