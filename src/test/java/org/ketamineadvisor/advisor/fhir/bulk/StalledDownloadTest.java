package org.ketamineadvisor.advisor.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketamineadvisor.advisor.fhir.bulk.Manifest.ExportFile;

/**
 * Review #22 finding 6: a real HTTP server that sends the headers and part of a file, then nothing while keeping
 * the connection open. The idle watchdog ends the attempt and the download is tried again instead of hanging.
 */
class StalledDownloadTest {

  private static final byte[] FILE = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path out;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/files/Patient", exchange -> {
      exchange.sendResponseHeaders(200, FILE.length);
      try (OutputStream body = exchange.getResponseBody()) {
        if (requests.incrementAndGet() == 1) {
          body.write(FILE, 0, 10);
          body.flush();
          release.await(); // stalls: headers and 10 bytes sent, then nothing
          return;
        }
        body.write(FILE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void aStalledDownloadIsEndedByTheIdleWatchdogAndTriedAgain() throws Exception {
    FakeTime time = new FakeTime(Instant.parse("2026-06-01T10:00:00Z"));
    FileDownloader downloader = new FileDownloader(new BulkHttp(BulkHttp.newClient(), AccessTokens.none()), time,
        time, Duration.ofMillis(500));
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/Patient");
    long started = System.nanoTime();

    ExportState.FileRecord record = downloader.download(new ExportFile("Patient", url, "001.Patient.ndjson", null,
        false), out.resolve("001.Patient.ndjson"), false);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(requests.get()).isEqualTo(2);
    assertThat(downloader.retries()).isEqualTo(1);
    assertThat(record.size()).isEqualTo(FILE.length);
    assertThat(Files.readAllBytes(out.resolve("001.Patient.ndjson"))).isEqualTo(FILE);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
