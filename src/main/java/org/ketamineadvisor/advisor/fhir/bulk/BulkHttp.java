package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends the export's requests with the access token where one is due, and on a 401 asks for a new token and sends
 * once more: a token that expired during a long export (or was revoked) does not end it. Redirects are not followed
 * here, so a token never travels to another host (see {@link FileDownloader}).
 */
final class BulkHttp {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final AccessTokens tokens;

  BulkHttp(HttpClient client, AccessTokens tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** A client as the export needs it: HTTP/1.1 (simplest for proxies and servers), no automatic redirects. */
  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Sends the request, with the token when {@code withToken}; a 401 gets a new token and one more try. */
  <T> HttpResponse<T> send(HttpRequest.Builder request, boolean withToken, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException, BulkException {
    HttpResponse<T> response = client.send(authorized(request.copy(), withToken), body);
    if (response.statusCode() == 401 && withToken && tokens.current().isPresent()) {
      discard(response);
      tokens.rejected();
      response = client.send(authorized(request.copy(), withToken), body);
    }
    return response;
  }

  /** A request builder for {@code uri} with the usual timeout. */
  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
  }

  private HttpRequest authorized(HttpRequest.Builder request, boolean withToken) throws BulkException {
    if (withToken) {
      var token = tokens.current();
      if (token.isPresent()) {
        request.setHeader("Authorization", "Bearer " + token.get());
      }
    }
    return request.build();
  }

  /** Closes a streamed body that will not be read, so the connection is freed. */
  static void discard(HttpResponse<?> response) {
    if (response.body() instanceof java.io.InputStream stream) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // the response is dropped anyway
      }
    }
  }
}
