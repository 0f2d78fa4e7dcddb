package org.ketamineadvisor.advisor.terminology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Codes a site adds to the curated value sets (CLINICAL-RULES § 1.2), e.g. newer ICD-10-CM codes or
 * local drug codes, read from a TSV file with the header {@code valueSet system code display group}.
 */
public record LocalCodes(List<LocalCode> codes) {

  public static final String HEADER = "valueSet\tsystem\tcode\tdisplay\tgroup";

  /** One site-added code; {@code origin} says where it came from ("local.tsv line 3") for error messages. */
  public record LocalCode(ValueSetId valueSet, Code code, String group, String origin) {
    public LocalCode {
      if (valueSet == null) {
        throw new IllegalArgumentException(origin + ": a local code needs a value set");
      }
      if (code == null || code.system() == null || code.system().isBlank()) {
        throw new IllegalArgumentException(origin + ": a local code needs a system and a code");
      }
      if (group == null || group.isBlank()) {
        throw new IllegalArgumentException(
            origin + ": a local code needs a group (one of the value set's groups, e.g. 'crps' or an ingredient)");
      }
    }
  }

  public LocalCodes {
    codes = codes == null ? List.of() : List.copyOf(codes);
  }

  /** No site-added codes. */
  public static LocalCodes none() {
    return new LocalCodes(List.of());
  }

  /**
   * Reads a local-codes TSV. Blank lines and lines starting with {@code #} are skipped; the display
   * column may be empty. Errors name the file and line and say what to fix.
   */
  public static LocalCodes read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read local codes file " + file + ": " + e.getMessage() + " (check the configured path)", e);
    }
    return read(file, lines);
  }

  /**
   * As {@link #read(Path)}, for the file's lines read elsewhere (the Spark job reads the file once, on its driver,
   * from any file system, and sends the lines to its executors); {@code file} names it in errors.
   */
  public static LocalCodes read(Path file, List<String> lines) {
    int headerIndex = firstContentLine(lines);
    if (headerIndex < 0 || !lines.get(headerIndex).strip().equals(HEADER)) {
      throw new IllegalArgumentException(
          file + " line " + (headerIndex + 1) + ": the first line must be the tab-separated header '"
              + HEADER.replace("\t", "<TAB>") + "'");
    }
    List<LocalCode> codes = new ArrayList<>();
    for (int i = headerIndex + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String origin = file.getFileName() + " line " + (i + 1);
      String[] f = line.split("\t", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected 5 tab-separated columns (" + HEADER.replace("\t", ", ")
                + "), found " + f.length);
      }
      ValueSetId valueSet = valueSet(f[0].strip(), file, i + 1);
      String system = f[1].strip();
      String code = f[2].strip();
      if (system.isEmpty() || code.isEmpty()) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": system and code must not be empty");
      }
      String display = f[3].strip().isEmpty() ? null : f[3].strip();
      codes.add(new LocalCode(valueSet, new Code(system, code, display), f[4].strip(), origin));
    }
    return new LocalCodes(codes);
  }

  private static int firstContentLine(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isBlank() && !line.startsWith("#")) {
        return i;
      }
    }
    return -1;
  }

  private static ValueSetId valueSet(String id, Path file, int line) {
    try {
      return ValueSetId.fromId(id);
    } catch (IllegalArgumentException e) {
      String known = Arrays.stream(ValueSetId.values()).map(ValueSetId::id).collect(Collectors.joining(", "));
      throw new IllegalArgumentException(
          file + " line " + line + ": unknown value set '" + id + "'; use one of: " + known, e);
    }
  }
}
