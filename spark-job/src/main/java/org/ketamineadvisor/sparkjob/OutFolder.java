package org.ketamineadvisor.sparkjob;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.ketamineadvisor.advisor.fhir.bulk.OwnerOnly;

/**
 * The job's {@code --out}: a folder on this machine (the driver's), written as {@code screen} writes it, or a folder
 * on a Hadoop file system, where the driver's files are written locally first and then copied. Every output is
 * staged under a temporary name first, then all are put in place together ({@link #putInPlace}), so a failed job
 * leaves the earlier outputs whole; everything is readable by the owner only, as the app's screen output.
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
    return local ? Path.of(location).resolve(name).toString() : hadoopChild(name).toString();
  }

  /** The Hadoop path of a file or folder in it. */
  org.apache.hadoop.fs.Path hadoopChild(String name) {
    return new org.apache.hadoop.fs.Path(ExportListing.fromUri(uri), name);
  }

  /** Creates the folder owner-only when missing. */
  void create(Configuration hadoop) throws IOException {
    if (local) {
      OwnerOnly.folder(localPath());
    } else {
      org.apache.hadoop.fs.Path path = ExportListing.fromUri(uri);
      path.getFileSystem(hadoop).mkdirs(path, new FsPermission((short) 0700));
    }
  }

  /**
   * A folder to stage the driver's files in: inside this folder when it is local (so that putting them in place is a
   * rename), a temporary folder on the driver otherwise (they are copied up by {@link #stage}).
   */
  Path stagingFolder() throws IOException {
    return local ? OwnerOnly.folder(localPath().resolve(".staging-" + UUID.randomUUID()))
        : Files.createTempDirectory("ketamine-screen-spark-");
  }

  /** A name for a folder or file the executors write into this folder before it is put in place. */
  org.apache.hadoop.fs.Path partName(String name) {
    return hadoopChild("." + name + "-" + UUID.randomUUID() + ".part");
  }

  /** A finished output under its temporary name ({@code part}, in this folder) and the name it is to have. */
  record Staged(org.apache.hadoop.fs.Path part, String name) {
  }

  /** A finished file of the staging folder, ready to be put in place as {@code name} (copied up when remote). */
  Staged stage(Path staging, String name, Configuration hadoop) throws IOException {
    if (local) {
      return new Staged(new org.apache.hadoop.fs.Path(staging.resolve(name).toUri()), name);
    }
    org.apache.hadoop.fs.Path part = partName(name);
    FileSystem fs = part.getFileSystem(hadoop);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(staging.resolve(name).toUri()), part);
    fs.setPermission(part, new FsPermission((short) 0600));
    return new Staged(part, name);
  }

  /** Writes {@code text} (UTF-8) as {@code name} in the staging folder, owner-only, and stages it. */
  Staged stageText(Path staging, String name, String text, Configuration hadoop) throws IOException {
    OwnerOnly.writeNew(staging.resolve(name), text);
    return stage(staging, name, hadoop);
  }

  /**
   * Puts every staged output in place, one after another: the old one is moved aside, the new one takes its name, and
   * the old ones are deleted only once all are in place. When a move fails, the outputs already put in place are put
   * back (the folder is as it was), and the exception says so, or says which were replaced when even that failed.
   */
  void putInPlace(List<Staged> staged, Configuration hadoop) throws IOException {
    List<org.apache.hadoop.fs.Path[]> done = new ArrayList<>(); // {target, old or null}
    for (Staged output : staged) {
      FileSystem fs = output.part().getFileSystem(hadoop);
      org.apache.hadoop.fs.Path target = hadoopChild(output.name());
      org.apache.hadoop.fs.Path old = fs.exists(target) ? hadoopChild("." + output.name() + ".old-" + UUID.randomUUID())
          : null;
      boolean moved = (old == null || fs.rename(target, old)) && fs.rename(output.part(), target);
      if (!moved) {
        List<String> lost = old != null && !fs.exists(target) && !fs.rename(old, target) ? List.of(output.name())
            : List.of();
        throw new IOException("could not move " + output.name() + " into place; " + putBack(done, lost, fs));
      }
      done.add(new org.apache.hadoop.fs.Path[] {target, old});
    }
    for (org.apache.hadoop.fs.Path[] replaced : done) {
      if (replaced[1] != null) {
        replaced[1].getFileSystem(hadoop).delete(replaced[1], true);
      }
    }
  }

  /** Undoes the outputs put in place so far; says what the folder now holds. */
  private static String putBack(List<org.apache.hadoop.fs.Path[]> done, List<String> lost, FileSystem fs) {
    List<String> replaced = new ArrayList<>(lost);
    List<org.apache.hadoop.fs.Path[]> lastFirst = new ArrayList<>(done);
    java.util.Collections.reverse(lastFirst);
    for (org.apache.hadoop.fs.Path[] output : lastFirst) {
      try {
        fs.delete(output[0], true);
        if (output[1] != null && !fs.rename(output[1], output[0])) {
          replaced.add(0, output[0].getName());
        }
      } catch (IOException e) {
        replaced.add(0, output[0].getName());
      }
    }
    return replaced.isEmpty() ? "nothing in the folder was replaced (the earlier outputs are kept)"
        : "these outputs are the new run's or missing, their earlier versions could not be put back: " + String.join(
            ", ", replaced) + "; every other output is the earlier run's";
  }
}
