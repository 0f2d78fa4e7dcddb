package org.ketamineadvisor.advisor.fhir.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines read as bytes end, number and decode exactly as BufferedReader's, whatever the read sizes. */
class NdjsonLinesTest {

  @Test
  void linesAreThoseOfBufferedReaderWithTheByteOrderMarkLeftOut() throws IOException {
    String longLine = "{\"resourceType\":\"Observation\",\"note\":\"" + "x".repeat(200_000) + "\"}";
    String text = "\uFEFF{\"a\":1}\r\n\r\n  \t\nzwölf \u00e9\u2003\rlast\r" + longLine + "\n\u2003\nno end";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        expected.add((expected.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line)
            + (line.isBlank() ? " (blank)" : ""));
      }
    }

    for (int chunk : new int[] {1, 2, 3, 7, 1 << 16}) {
      List<String> read = new ArrayList<>();
      try (NdjsonLines lines = new NdjsonLines(trickle(bytes, chunk))) {
        while (lines.next()) {
          assertThat(lines.number()).isEqualTo(read.size() + 1);
          read.add(lines.text() + (lines.isBlank() ? " (blank)" : ""));
        }
      }
      assertThat(read).as("read %d bytes at a time", chunk).isEqualTo(expected);
    }
  }

  @Test
  void aLineStartingWithItsTypeIsAnsweredWithoutAParserOnlyWhenItsTypeNeedsNoMore() {
    byte[] line = "{\"resourceType\":\"Observation\",\"id\":\"o1\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(ResourceHeader.leadingType(line, 0, line.length)).isEqualTo("Observation");
    byte[] spaced = "{ \"resourceType\":\"Observation\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(ResourceHeader.leadingType(spaced, 0, spaced.length)).isNull();
    byte[] escaped = "{\"resourceType\":\"Obs\\u0065rvation\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(ResourceHeader.leadingType(escaped, 0, escaped.length)).isNull();
  }

  /** A stream that gives at most {@code chunk} bytes a read, as a slow pipe or a gzip stream may. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }
}
