package org.ketamineadvisor.sparkjob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ketamineadvisor.advisor.fhir.files.FhirInputFile;

/**
 * One file of the export, as the driver lists it and a task reads it: {@code uri} to open it through Hadoop,
 * {@code name} as problems and sources name it (the app's name for a local path), {@code index} its place in the
 * reading order (what comes first in the files comes first in the outputs).
 */
record ExportFile(String uri, String name, int index) implements Serializable {

  /** The file for the app's readers, opened through Hadoop with the session's configuration; counts its bytes. */
  FhirInputFile open(Configuration hadoop, long[] bytesRead) {
    return new FhirInputFile() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() {
        Path path = ExportListing.fromUri(uri);
        InputStream raw;
        try {
          raw = path.getFileSystem(hadoop).open(path);
        } catch (IOException e) {
          throw new ReadFailure(name, e);
        }
        return new FilterInputStream(raw) {
          @Override
          public int read() {
            try {
              int b = super.read();
              if (b >= 0) {
                bytesRead[0]++;
              }
              return b;
            } catch (IOException e) {
              throw new ReadFailure(name, e);
            }
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            try {
              int n = super.read(buffer, offset, length);
              if (n > 0) {
                bytesRead[0] += n;
              }
              return n;
            } catch (IOException e) {
              throw new ReadFailure(name, e);
            }
          }

          @Override
          public long skip(long n) {
            try {
              return super.skip(n);
            } catch (IOException e) {
              throw new ReadFailure(name, e);
            }
          }
        };
      }
    };
  }

  /**
   * The file system failed while a task read the file (a timeout, a lost connection): unchecked, so that the app's
   * readers, which turn an IOException into a problem with the file, let it through and the task fails; Spark runs it
   * again. Otherwise the census would count the file's patients as never seen and the job would end "all read".
   * Format errors (bad gzip, bad JSON) come from the readers above this stream and stay problems with the file.
   */
  static final class ReadFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    ReadFailure(String file, IOException cause) {
      super(file + " could not be read from its file system (" + cause.getMessage() + ")", cause);
    }
  }
}
