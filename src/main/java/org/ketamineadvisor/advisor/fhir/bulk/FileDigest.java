package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.ketamineadvisor.advisor.fhir.bulk.ExportState.FileRecord;

/** Size and SHA-256 of a file on disk, to tell a completed download from a missing, cut or altered one. */
final class FileDigest {

  private FileDigest() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The file's size and SHA-256. */
  static FileRecord of(Path file) throws IOException {
    MessageDigest digest = sha256();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    return new FileRecord(size, HexFormat.of().formatHex(digest.digest()));
  }

  /** Whether the file exists with the recorded size and SHA-256 (the size is checked first: it costs nothing). */
  static boolean matches(Path file, FileRecord record) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == record.size() && of(file).equals(record);
    } catch (IOException e) {
      return false;
    }
  }
}
