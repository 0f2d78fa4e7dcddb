package org.ketamineadvisor.advisor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the peer checks share to build a peer from its tarball (the SMART launcher, the CDS Hooks Sandbox, the Bulk
 * Data server): a tool on the PATH, a build step run with its output in a log, a tarball's digest to reuse a build.
 */
final class PeerBuild {

  private PeerBuild() {}

  /** Fails with {@code why} (what needs the tool, how to install it) unless {@code tool} is on the PATH. */
  static void require(String tool, String why) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new IllegalStateException(why.replace("{tool}", tool));
  }

  /**
   * Runs a build step in {@code dir} with its output in {@code log}; a step that fails or outlasts {@code timeout}
   * fails the check, naming the log, with {@code npmHint} added when the step is npm's.
   */
  static void run(Path log, Path dir, Map<String, String> env, Duration timeout, String npmHint, String... command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + timeout.toMinutes() + " minutes; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
            + ") in " + dir + "; see " + log + (command[0].equals("npm") ? " (" + npmHint + ")" : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** The file's SHA-256 in hex, to tell whether a build from it can be reused. */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
