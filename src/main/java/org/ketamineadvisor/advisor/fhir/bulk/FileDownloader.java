package org.ketamineadvisor.advisor.fhir.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.ketamineadvisor.advisor.fhir.bulk.ExportState.FileRecord;
import org.ketamineadvisor.advisor.fhir.bulk.Manifest.ExportFile;

/**
 * Downloads one export file into a {@code .part} file and renames it into place only once it is known complete: the
 * Content-Length (when given) received in full and the file ending on a whole NDJSON line. A download cut halfway is
 * tried again (that file only), a few times with backoff; a redirect is followed, carrying the token only to the same
 * host (a pre-signed URL elsewhere needs none).
 */
final class FileDownloader {

  static final int ATTEMPTS = 4;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration LONGEST_WAIT = Duration.ofMinutes(2);
  /** How long a download may go without a byte before it counts as broken off (and is tried again). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_REDIRECTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BulkHttp http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration idleTimeout;
  private int retries;

  FileDownloader(BulkHttp http, Sleeper sleeper, Clock clock, Duration idleTimeout) {
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  /** How many downloads had to be tried again so far. */
  int retries() {
    return retries;
  }

  /** Downloads {@code file} to {@code target}; returns its size and SHA-256. */
  FileRecord download(ExportFile file, Path target, boolean withToken) throws BulkException, InterruptedException {
    try {
      OwnerOnly.folder(target.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new BulkException(target.getParent() + ": the folder cannot be created (" + e.getMessage() + ")");
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    Duration backoff = FIRST_BACKOFF;
    String lastProblem = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        retries++;
      }
      Optional<Duration> wait;
      try {
        FileRecord record = attempt(file.url(), part, withToken);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return record;
      } catch (Refused refused) {
        deleteQuietly(part);
        throw new BulkException("export file " + file.name() + " (" + file.type() + "): " + refused.getMessage());
      } catch (Retryable retryable) {
        lastProblem = retryable.getMessage();
        wait = retryable.retryAfter;
      } catch (IOException e) {
        lastProblem = "the download broke off (" + e.getClass().getSimpleName() + ")";
        wait = Optional.empty();
      }
      if (attempt < ATTEMPTS) {
        Duration pause = wait.filter(w -> w.compareTo(Duration.ZERO) > 0).orElse(backoff);
        if (pause.compareTo(LONGEST_WAIT) > 0) {
          pause = LONGEST_WAIT;
        }
        sleeper.sleep(pause);
        backoff = backoff.multipliedBy(2);
      }
    }
    deleteQuietly(part);
    throw new BulkException("export file " + file.name() + " (" + file.type() + ") could not be downloaded in "
        + ATTEMPTS + " tries: " + lastProblem + "; started again with the same --out, the screen resumes with the "
        + "files still missing");
  }

  private FileRecord attempt(URI url, Path part, boolean withToken)
      throws IOException, InterruptedException, BulkException, Retryable, Refused {
    URI current = url;
    boolean token = withToken;
    for (int redirect = 0; ; redirect++) {
      HttpResponse<InputStream> response = http.send(BulkHttp.request(current)
          .header("Accept", "application/fhir+ndjson").GET(), token, HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      if (status == 200) {
        return save(response, part, idleTimeout);
      }
      BulkHttp.discard(response);
      Optional<String> location = response.headers().firstValue("Location");
      if (status >= 300 && status < 400 && location.isPresent() && redirect < MAX_REDIRECTS) {
        URI next = current.resolve(location.get());
        token = token && sameOrigin(current, next);
        current = next;
        continue;
      }
      if (status == 429 || status >= 500) {
        throw new Retryable("the server answered HTTP " + status,
            RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant()));
      }
      throw new Refused("the server answered HTTP " + status + (status == 404 || status == 410
          ? " (the export's files may have expired: remove the export folder to export anew)" : ""));
    }
  }

  private static FileRecord save(HttpResponse<InputStream> response, Path part, Duration idleTimeout)
      throws IOException, Retryable {
    long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    MessageDigest digest = FileDigest.sha256();
    long size = 0;
    long lastNewline = -1;
    OwnerOnly.newFile(part);
    byte[] buffer = new byte[64 * 1024];
    IdleWatchdog watchdog = null;
    try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(part);
        IdleWatchdog watching = new IdleWatchdog(in, idleTimeout)) {
      watchdog = watching;
      for (int n; (n = in.read(buffer)) > 0; ) {
        watching.progress();
        out.write(buffer, 0, n);
        digest.update(buffer, 0, n);
        for (int i = n - 1; i >= 0; i--) {
          if (buffer[i] == '\n') {
            lastNewline = size + i;
            break;
          }
        }
        size += n;
      }
    } catch (IOException e) {
      if (watchdog != null && watchdog.stalled()) {
        throw new Retryable("no byte came for " + idleTimeout.toSeconds() + " s after " + size + " bytes (the "
            + "download stalled)", Optional.empty());
      }
      throw e;
    }
    if (watchdog != null && watchdog.stalled()) {
      throw new Retryable("no byte came for " + idleTimeout.toSeconds() + " s after " + size + " bytes (the "
          + "download stalled)", Optional.empty());
    }
    if (expected >= 0 && size != expected) {
      throw new Retryable("the download stopped after " + size + " of " + expected + " bytes", Optional.empty());
    }
    if (size > 0 && lastNewline != size - 1 && !lastLineIsJson(part, lastNewline + 1, size)) {
      throw new Retryable("the download ends inside a line (" + size + " bytes received)", Optional.empty());
    }
    return new FileRecord(size, HexFormat.of().formatHex(digest.digest()));
  }

  /** Whether the bytes after the last newline are one whole JSON value (a file need not end with a newline). */
  private static boolean lastLineIsJson(Path file, long from, long size) throws IOException {
    if (size - from > Integer.MAX_VALUE - 8) {
      return false;
    }
    byte[] line = new byte[(int) (size - from)];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(from);
      raf.readFully(line);
    }
    String text = new String(line, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return true;
    }
    try {
      return JSON.readTree(text).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a .part left behind is replaced by the next attempt
    }
  }

  /** A failure worth another try (cut off, 429, 5xx). */
  private static final class Retryable extends Exception {
    final transient Optional<Duration> retryAfter;

    Retryable(String message, Optional<Duration> retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }
  }

  /** A refusal another try will not change (403, 404, 410). */
  private static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }
}
