package org.ketamineadvisor.advisor.screen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.ketamineadvisor.advisor.fhir.bulk.OwnerOnly;

/**
 * The screen's output holds patient ids and verdicts, so its files are readable by their owner only: folders
 * rwx------ and files rw------- from the moment they exist (set at creation, never chmod-ed afterwards, so there is
 * no window in which another user can open them). A file is written under a temporary name and moved over the old
 * one, so an overwritten output also gets these permissions, and a screen that dies leaves the old file whole.
 * On a file system without POSIX permissions (Windows) the folder's own access rules apply.
 */
final class OwnerOnlyFiles {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** Creates {@code folder} (and missing parents) owner-only; an existing folder is used as it is. */
  static void createFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    if (Files.exists(folder)) {
      throw new FileAlreadyExistsException(folder.toString(), null, "already exists and is not a folder");
    }
    OwnerOnly.folder(folder);
  }

  /** A new empty owner-only file in {@code folder}, to be written and then {@linkplain #moveOver moved} in place. */
  static Path newPartFile(Path folder, String prefix) throws IOException {
    FileAttribute<?>[] attributes = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
    return Files.createTempFile(folder, "." + prefix + "-", ".part", attributes);
  }

  static BufferedWriter writer(Path partFile) throws IOException {
    return Files.newBufferedWriter(partFile, StandardCharsets.UTF_8);
  }

  /** Moves a finished part file over {@code target}, replacing it (the part file's permissions go with it). */
  static void moveOver(Path partFile, Path target) throws IOException {
    try {
      Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
