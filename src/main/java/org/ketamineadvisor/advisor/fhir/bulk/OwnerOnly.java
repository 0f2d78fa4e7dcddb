package org.ketamineadvisor.advisor.fhir.bulk;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders readable by their owner only, set at creation (never created open and narrowed afterwards): an
 * export holds every patient's record. On a file system without POSIX permissions they are created plainly.
 */
public final class OwnerOnly {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Creates the folder and any missing parents as rwx------; an existing folder is kept as it is. */
  public static Path folder(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      folder(parent);
    }
    try {
      return POSIX ? Files.createDirectory(dir, attribute("rwx------")) : Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(dir)) {
        return dir;
      }
      throw e;
    }
  }

  /** Creates a new empty file as rw-------, replacing one left behind (e.g. a half-written {@code .part}). */
  public static Path newFile(Path file) throws IOException {
    Files.deleteIfExists(file);
    return POSIX ? Files.createFile(file, attribute("rw-------")) : Files.createFile(file);
  }

  /**
   * Writes {@code text} into a file that must not exist yet, created rw------- in one step ({@code CREATE_NEW}: no
   * check-then-create race, and an existing file, perhaps a registered key, is never deleted or overwritten).
   *
   * @throws FileAlreadyExistsException when the file exists
   */
  public static void writeNew(Path file, String text) throws IOException {
    java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE);
    try (java.nio.channels.SeekableByteChannel channel = POSIX
        ? Files.newByteChannel(file, options, attribute("rw-------")) : Files.newByteChannel(file, options)) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  private static FileAttribute<?> attribute(String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }
}
