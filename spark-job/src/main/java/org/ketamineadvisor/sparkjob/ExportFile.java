package org.ketamineadvisor.sparkjob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
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
      public InputStream open() throws IOException {
        Path path = new Path(uri);
        return new FilterInputStream(path.getFileSystem(hadoop).open(path)) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              bytesRead[0]++;
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
              bytesRead[0] += n;
            }
            return n;
          }
        };
      }
    };
  }
}
