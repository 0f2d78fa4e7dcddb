package org.ketamineadvisor.sparkjob;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * This machine's disk under another URI scheme ({@code otherfs:///tmp/x}), registered with Hadoop by the tests
 * ({@code spark.hadoop.fs.otherfs.impl}): a file system that is not "local" to the job, as hdfs:// or s3a:// are, so
 * that the tests go through the job's code for those (the listing's URI names, the outputs copied from the driver).
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {

  static final String SCHEME = "otherfs";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public java.io.File pathToFile(org.apache.hadoop.fs.Path path) {
    checkPath(path);
    return new java.io.File(makeQualified(path).toUri().getPath());
  }

  // the local statuses read their permissions through a file: URI; plain ones carry what the job uses

  @Override
  public org.apache.hadoop.fs.FileStatus getFileStatus(org.apache.hadoop.fs.Path path) throws java.io.IOException {
    return plain(super.getFileStatus(path));
  }

  @Override
  public org.apache.hadoop.fs.FileStatus[] listStatus(org.apache.hadoop.fs.Path path) throws java.io.IOException {
    return java.util.Arrays.stream(super.listStatus(path)).map(OtherSchemeFileSystem::plain)
        .toArray(org.apache.hadoop.fs.FileStatus[]::new);
  }

  private static org.apache.hadoop.fs.FileStatus plain(org.apache.hadoop.fs.FileStatus status) {
    return new org.apache.hadoop.fs.FileStatus(status.getLen(), status.isDirectory(), 1, status.getBlockSize(),
        status.getModificationTime(), status.getPath());
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }
}
