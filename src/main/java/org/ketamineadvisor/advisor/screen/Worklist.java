package org.ketamineadvisor.advisor.screen;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/**
 * worklist.csv (RFC 4180, UTF-8, header row): the candidates to act on, ranked: suitable, then suitable with
 * precautions, then needs information, by patient id within each group; contraindicated and not indicated are not
 * on it. Patients arrive in id order, so each group is written as it comes to its own temporary file and the three
 * are joined, with the rank, at the end: the rows are not kept in memory, only the worklist's patient ids (for
 * {@code --write-group}).
 */
final class Worklist implements Closeable {

  static final List<Verdict> RANKED = List.of(Verdict.SUITABLE, Verdict.SUITABLE_WITH_PRECAUTIONS,
      Verdict.NEEDS_INFORMATION);
  static final String HEADER = "rank,patient,verdict,deciding,missing,protocol,sessions,dose_mg";

  private final Path folder;
  private final Map<Verdict, Path> parts = new EnumMap<>(Verdict.class);
  private final Map<Verdict, BufferedWriter> writers = new EnumMap<>(Verdict.class);
  private final Map<Verdict, List<String>> ids = new EnumMap<>(Verdict.class);

  Worklist(Path folder) throws IOException {
    this.folder = folder;
    for (Verdict verdict : RANKED) {
      Path part = OwnerOnlyFiles.newPartFile(folder, "worklist-" + verdict.code());
      parts.put(verdict, part);
      writers.put(verdict, OwnerOnlyFiles.writer(part));
      ids.put(verdict, new ArrayList<>());
    }
  }

  /** The worklist's patient ids in its order (the ids only: what a Group of the candidates needs). */
  List<String> patientIds() {
    List<String> all = new ArrayList<>();
    RANKED.forEach(verdict -> all.addAll(ids.get(verdict)));
    return all;
  }

  /** Adds the patient's row ({@link #row}) if its verdict is on the worklist. */
  void add(ScreenedPatient patient) throws IOException {
    BufferedWriter out = writers.get(patient.verdict());
    if (out == null || patient.worklistRow() == null) {
      return;
    }
    ids.get(patient.verdict()).add(patient.patientId());
    out.write(patient.worklistRow());
    out.write("\r\n");
  }

  /** The patient's row without its rank, or null when the verdict is not on the worklist. */
  static String row(AssessedPatient result) {
    Assessment a = result.assessment();
    if (!RANKED.contains(a.verdict())) {
      return null;
    }
    InfusionPlan plan = result.plan().orElse(null);
    List<String> row = new ArrayList<>(List.of(a.patient().id(), a.verdict().code(), inWords(a.decidingFindings()),
        missingInWords(a.unknowns())));
    row.add(plan == null ? "" : plan.protocol().id());
    row.add(plan == null ? "" : Integer.toString(plan.sessions()));
    row.add(plan == null ? "" : Integer.toString(plan.doseMg()));
    return row.stream().map(Worklist::field).collect(Collectors.joining(","));
  }

  /** Joins the groups into {@code worklist.csv}, ranked. */
  void finish() throws IOException {
    for (BufferedWriter out : writers.values()) {
      out.close();
    }
    Path csv = OwnerOnlyFiles.newPartFile(folder, "worklist");
    try (BufferedWriter out = OwnerOnlyFiles.writer(csv)) {
      out.write(HEADER);
      out.write("\r\n");
      long rank = 0;
      for (Verdict verdict : RANKED) {
        try (BufferedReader in = Files.newBufferedReader(parts.get(verdict), StandardCharsets.UTF_8)) {
          String row;
          while ((row = in.readLine()) != null) {
            // rows never hold a line break inside a field: field() replaces them
            out.write(Long.toString(++rank));
            out.write(',');
            out.write(row);
            out.write("\r\n");
          }
        }
      }
    }
    OwnerOnlyFiles.moveOver(csv, folder.resolve("worklist.csv"));
    close();
  }

  /** "PR-HYPERTENSION (hypertension or BP at least 140/90 mmHg); …": the rule id, and what it means. */
  static String inWords(List<Finding> findings) {
    return findings.stream().map(f -> f.rule().id() + " (" + words(f) + ")").collect(Collectors.joining("; "));
  }

  /** "blood pressure within 30 days; body weight within 90 days": what to find or measure. */
  static String missingInWords(List<Finding> unknowns) {
    return unknowns.stream().map(f -> lowerFirst(f.rule().title())).collect(Collectors.joining("; "));
  }

  /** What the finding means: the criterion not met, the datum not known, or what is present. */
  static String words(Finding f) {
    String title = lowerFirst(f.outcome() == Outcome.NOT_MET ? f.rule().notMetTitle() : f.rule().title());
    return f.outcome() == Outcome.UNKNOWN ? title + ": not known" : title;
  }

  /** "Blood pressure…" → "blood pressure…", but "ALT or AST…" stays. */
  private static String lowerFirst(String title) {
    return title.length() > 1 && Character.isUpperCase(title.charAt(1)) ? title
        : Character.toLowerCase(title.charAt(0)) + title.substring(1);
  }

  /**
   * RFC 4180: a field with a comma or quote is quoted, its quotes doubled. A line break inside a field (an id or a
   * local code's display can carry one) becomes a space, so that every row is one line. A field starting with
   * {@code = + - @}, tab or CR gets a leading apostrophe, so that a spreadsheet shows it as text instead of running
   * it as a formula (OWASP, CSV injection): the ids and displays come from the server's data.
   */
  static String field(String value) {
    String v = value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  /** Removes the temporary group files (also when the screen failed half-way). */
  @Override
  public void close() throws IOException {
    for (BufferedWriter out : writers.values()) {
      out.close();
    }
    for (Path part : parts.values()) {
      Files.deleteIfExists(part);
    }
  }
}
