package org.ketamineadvisor.sparkjob;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;

/**
 * This machine's disk as {@code failonce:///tmp/x}, whose reads fail once per file: the first stream opened on a file
 * breaks after {@link #BYTES} bytes, as a remote file system's read times out; later reads work.
 */
public final class FailingOnceFileSystem extends OtherSchemeFileSystem {

  static final String SCHEME = "failonce";
  static final int BYTES = 200;

  private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    FSDataInputStream in = super.open(path, bufferSize);
    if (!FAILED.add(makeQualified(path).toString())) {
      return in;
    }
    return new FSDataInputStream(new FSInputStream() {
      private long left = BYTES;

      @Override
      public int read() throws IOException {
        if (left-- <= 0) {
          throw new IOException("read timed out");
        }
        return in.read();
      }

      @Override
      public void seek(long position) throws IOException {
        in.seek(position);
      }

      @Override
      public long getPos() throws IOException {
        return in.getPos();
      }

      @Override
      public boolean seekToNewSource(long position) {
        return false;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    });
  }
}
