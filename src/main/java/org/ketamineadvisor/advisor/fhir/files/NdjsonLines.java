package org.ketamineadvisor.advisor.fhir.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of an NDJSON stream as bytes, so that a line whose header shows it is not wanted is never decoded into a
 * String (most of an export's bytes are such lines). Lines end as {@link java.io.BufferedReader#readLine()} ends
 * them (LF, CR or CR LF; a last line without an end counts), so line numbers are the same; a UTF-8 byte order mark
 * at the start of the first line is left out. A line is valid until the next call of {@link #next()}.
 */
final class NdjsonLines implements Closeable {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean endOfInput;
  private boolean skipLf;
  private int number;
  private int lineStart;
  private int lineLength;

  NdjsonLines(InputStream in) {
    this.in = in;
  }

  /** Moves to the next line; false at the end of the input. */
  boolean next() throws IOException {
    if (skipLf) {
      if (start == end && !endOfInput) {
        fill();
      }
      if (start < end && buffer[start] == LF) {
        start++;
      }
      skipLf = false;
    }
    int scan = start;
    while (true) {
      scan = skipPlainWords(scan);
      for (; scan < end; scan++) {
        byte b = buffer[scan];
        if (b == LF || b == CR) {
          found(scan - start);
          start = scan + 1;
          skipLf = b == CR;
          return true;
        }
      }
      if (endOfInput) {
        if (start < end) {
          found(end - start);
          start = end;
          return true;
        }
        return false;
      }
      scan -= start;
      fill();
    }
  }

  /**
   * Skips, eight bytes at a time, the words holding no CR or LF (a line's end is searched through every byte of an
   * export, twice in a screen); returns where the byte-by-byte search goes on.
   */
  private int skipPlainWords(int from) {
    int i = from;
    while (i + Long.BYTES <= end) {
      long word = (long) WORDS.get(buffer, i);
      if (hasZeroByte(word ^ LFS) || hasZeroByte(word ^ CRS)) {
        return i;
      }
      i += Long.BYTES;
    }
    return i;
  }

  private static boolean hasZeroByte(long word) {
    return ((word - 0x0101010101010101L) & ~word & 0x8080808080808080L) != 0;
  }

  private void found(int length) {
    number++;
    lineStart = start;
    lineLength = length;
    if (number == 1 && length >= 3 && buffer[start] == (byte) 0xEF && buffer[start + 1] == (byte) 0xBB
        && buffer[start + 2] == (byte) 0xBF) {
      lineStart += 3;
      lineLength -= 3;
    }
  }

  /** Keeps the unread bytes at the front of the buffer (growing it for a long line) and reads more after them. */
  private void fill() throws IOException {
    int pending = end - start;
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, pending);
      start = 0;
      end = pending;
    }
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, end, buffer.length - end);
    if (read < 0) {
      endOfInput = true;
    } else {
      end += read;
    }
  }

  /** The current line's number, from 1. */
  int number() {
    return number;
  }

  byte[] bytes() {
    return buffer;
  }

  int offset() {
    return lineStart;
  }

  int length() {
    return lineLength;
  }

  /** The current line as text (malformed UTF-8 replaced, as a Reader would). */
  String text() {
    return new String(buffer, lineStart, lineLength, StandardCharsets.UTF_8);
  }

  /** Whether the line is empty or only white space, as {@link String#isBlank()} says of its text. */
  boolean isBlank() {
    for (int i = lineStart; i < lineStart + lineLength; i++) {
      byte b = buffer[i];
      if (b < 0) {
        return text().isBlank();
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
