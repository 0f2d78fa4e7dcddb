package org.ketamineadvisor.sparkjob;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.ketamineadvisor.advisor.fhir.bulk.OwnerOnly;

/**
 * The job's {@code --out}: a folder on this machine (the driver's), written as {@code screen} writes it, or a folder
 * on a Hadoop file system, where the driver's files are written locally first and then copied. Every file appears
 * whole or not at all (a temporary name, then a move over the old one), so a failed job leaves earlier outputs whole;
 * everything is readable by the owner only, as the app's screen output.
 *
 * @param location the folder as given
 * @param uri its fully qualified URI
 * @param local whether it is on the driver's own disk (written directly)
 */
record OutFolder(String location, String uri, boolean local) implements Serializable {

  /** @throws IllegalArgumentException when {@code location} is a file */
  static OutFolder of(String location, Configuration hadoop) {
    org.apache.hadoop.fs.Path path = ExportListing.hadoopPath(location);
    boolean local = ExportListing.isLocal(location);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (fs.exists(path) && !fs.getFileStatus(path).isDirectory()) {
        throw new IllegalArgumentException("--out " + location + " is a file, not a folder: give a folder to write "
            + "the screen into (it is created when missing)");
      }
      return new OutFolder(location, fs.makeQualified(path).toUri().toString(), local);
    } catch (IOException e) {
      throw new IllegalArgumentException("--out " + location + " could not be looked at (" + e.getMessage() + ")", e);
    }
  }

  /** The folder on the driver's disk; only when {@link #local()}. */
  Path localPath() {
    if (!local) {
      throw new IllegalStateException(location + " is not on this machine");
    }
    return Path.of(URI.create(uri));
  }

  /** How a file in it is named in messages: as the user wrote the folder. */
  String child(String name) {
    return local ? Path.of(location).resolve(name).toString() : uri.replaceFirst("/*$", "") + "/" + name;
  }

  /** The Hadoop path of a file or folder in it. */
  org.apache.hadoop.fs.Path hadoopChild(String name) {
    return new org.apache.hadoop.fs.Path(uri.replaceFirst("/*$", "") + "/" + name);
  }

  /** Creates the folder owner-only when missing. */
  void create(Configuration hadoop) throws IOException {
    if (local) {
      OwnerOnly.folder(localPath());
    } else {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
      path.getFileSystem(hadoop).mkdirs(path, new FsPermission((short) 0700));
    }
  }

  /** Writes {@code name} with {@code text} (UTF-8), whole or not at all. */
  void writeText(String name, String text, Configuration hadoop) throws IOException {
    if (local) {
      Path part = localPath().resolve("." + name + "-" + UUID.randomUUID() + ".part");
      try {
        OwnerOnly.newFile(part);
        Files.writeString(part, text, StandardCharsets.UTF_8);
        move(part, localPath().resolve(name));
      } finally {
        Files.deleteIfExists(part);
      }
      return;
    }
    org.apache.hadoop.fs.Path part = hadoopChild("." + name + "-" + UUID.randomUUID() + ".part");
    FileSystem fs = part.getFileSystem(hadoop);
    try (OutputStream out = fs.create(part, new FsPermission((short) 0600), true, 1 << 16,
        fs.getDefaultReplication(part), fs.getDefaultBlockSize(part), null)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    replace(fs, part, hadoopChild(name));
  }

  /** Copies a finished local file (from a staging folder) to {@code name}, whole or not at all. */
  void publish(Path staged, String name, Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path part = hadoopChild("." + name + "-" + UUID.randomUUID() + ".part");
    FileSystem fs = part.getFileSystem(hadoop);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(staged.toUri()), part);
    fs.setPermission(part, new FsPermission((short) 0600));
    replace(fs, part, hadoopChild(name));
  }

  /**
   * Moves a finished folder ({@code part}, in this folder) over {@code name}: the old one is removed only once the
   * new one is complete.
   */
  void replaceFolder(org.apache.hadoop.fs.Path part, String name, Configuration hadoop) throws IOException {
    replace(part.getFileSystem(hadoop), part, hadoopChild(name));
  }

  private static void replace(FileSystem fs, org.apache.hadoop.fs.Path part, org.apache.hadoop.fs.Path target)
      throws IOException {
    // Hadoop's rename does not overwrite: the old output goes just before the new one takes its name
    fs.delete(target, true);
    if (!fs.rename(part, target)) {
      throw new IOException("could not move " + part + " to " + target);
    }
  }

  private static void move(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
