package org.ketamineadvisor.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the code cites exists in the repository: every {@code § N} or {@code § N.M} in the main sources (Java, the page
 * templates, the configuration) is a heading of docs/clinical-rules.md — the repository's copy of the rule set, which
 * the code calls CLINICAL-RULES — and every Markdown file they name is there, with the section they name. A rule whose
 * comment points at a section that moved, or at a document left outside the repository, fails here instead of sending
 * a reviewer nowhere.
 */
class SectionCitationsTest {

  static final Path RULES = Path.of("docs", "clinical-rules.md");
  private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"), Path.of("src", "main", "resources"));
  private static final Set<String> TEXT_FILES = Set.of("java", "html", "yml", "yaml", "properties", "js", "xml", "txt");

  /** "§ 7.3", "§§ 1–4", "§ 2.2–2.4", optionally right after a named Markdown file ("development.md § 3"). */
  private static final Pattern NUMBERED = Pattern.compile(
      "(?:([\\w./-]+\\.md)\\s+)?§§?\\s*(\\d+(?:\\.\\d+)*)(?:\\s*[–-]\\s*(\\d+(?:\\.\\d+)*))?");
  /** "docs/integration.md § FHIR output": a named section, its words up to punctuation or the next file's name. */
  private static final Pattern NAMED = Pattern.compile(
      "([\\w./-]+\\.md)\\s+§\\s*([A-Za-z][\\w'-]*+(?![/.]\\w)(?: [A-Za-z][\\w'-]*+(?![/.]\\w))*)");
  private static final Pattern MARKDOWN_FILE = Pattern.compile("(?<![\\w/.-])([\\w./-]*[\\w-]\\.md)\\b");
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$");
  private static final Pattern HEADING_NUMBER = Pattern.compile("^(\\d+(?:\\.\\d+)*)\\.?(?:\\s|$)");

  @Test
  void everyNumberedSectionTheCodeCitesIsAHeadingOfTheClinicalRules() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path source : sources()) {
      List<String> lines = Files.readAllLines(source);
      for (int i = 0; i < lines.size(); i++) {
        Matcher cite = NUMBERED.matcher(URL.matcher(lines.get(i)).replaceAll(""));
        while (cite.find()) {
          Path doc = cite.group(1) == null ? RULES : resolve(cite.group(1));
          for (String number : cite.group(3) == null ? List.of(cite.group(2)) : List.of(cite.group(2), cite.group(3))) {
            if (doc == null || !sectionNumbers(doc).contains(number)) {
              missing.add(source + ":" + (i + 1) + " cites § " + number + " of " + (doc == null ? cite.group(1) : doc));
            }
          }
        }
      }
    }
    assertThat(missing).as("sections cited in the main sources that are not a heading of the document they cite")
        .isEmpty();
  }

  @Test
  void everyMarkdownFileTheCodeNamesExistsWithTheSectionItNames() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path source : sources()) {
      List<String> lines = Files.readAllLines(source);
      for (int i = 0; i < lines.size(); i++) {
        String line = URL.matcher(lines.get(i)).replaceAll("");
        Matcher file = MARKDOWN_FILE.matcher(line);
        while (file.find()) {
          if (resolve(file.group(1)) == null) {
            missing.add(source + ":" + (i + 1) + " names " + file.group(1) + ", which is not in the repository");
          }
        }
        Matcher named = NAMED.matcher(line);
        while (named.find()) {
          Path doc = resolve(named.group(1));
          if (doc != null && headings(doc).stream().noneMatch(h -> sameStart(h, named.group(2)))) {
            missing.add(source + ":" + (i + 1) + " names § " + named.group(2) + " of " + doc + ", which has no such heading");
          }
        }
      }
    }
    assertThat(missing).as("documents (and their sections) named in the main sources that do not exist").isEmpty();
  }

  @Test
  void everyMarkdownFileTheDocsNameExists() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("."))) {
      for (Path md : files.filter(p -> p.toString().endsWith(".md")).filter(p -> !ignored(p)).toList()) {
        List<String> lines = Files.readAllLines(md);
        for (int i = 0; i < lines.size(); i++) {
          Matcher file = MARKDOWN_FILE.matcher(URL.matcher(lines.get(i)).replaceAll(""));
          while (file.find()) {
            String name = file.group(1);
            if (!Files.isRegularFile(md.getParent().resolve(name).normalize()) && resolve(name) == null) {
              missing.add(md + ":" + (i + 1) + " names " + name + ", which is not in the repository");
            }
          }
        }
      }
    }
    assertThat(missing).as("Markdown files named in the repository's Markdown that do not exist").isEmpty();
  }

  @Test
  void theCheckFindsABadCitation() throws IOException {
    assertThat(sectionNumbers(RULES)).contains("1.1", "2.4", "5.1", "7", "7.3", "7.15", "8.2")
        .doesNotContain("7.16", "9");
    Matcher cite = NUMBERED.matcher("the rules (CLINICAL-RULES § 2.2–2.4, § 7.10) and §§ 1–4");
    List<String> found = new ArrayList<>();
    while (cite.find()) {
      found.add(cite.group(2) + (cite.group(3) == null ? "" : ".." + cite.group(3)));
    }
    assertThat(found).containsExactly("2.2..2.4", "7.10", "1..4");
    Matcher named = NAMED.matcher("see DESIGN.md § Layout and docs/integration.md § FHIR output.");
    List<String> sections = new ArrayList<>();
    while (named.find()) {
      sections.add(named.group(1) + " § " + named.group(2));
    }
    assertThat(sections).containsExactly("DESIGN.md § Layout and", "docs/integration.md § FHIR output");
    assertThat(sameStart("FHIR output", "FHIR output")).isTrue();
    assertThat(sameStart("Configuration", "Configuration and its keys")).isTrue();
    assertThat(sameStart("FHIR profiles and terminology", "FHIR output")).isFalse();
    assertThat(resolve("docs/clinical-rules.md")).isNotNull();
    assertThat(resolve("DESIGN.md")).as("a design document outside the repository").isNull();
  }

  /** The numbers of the document's numbered headings: "## 7. Precise semantics" → 7, "### 7.3 Dates" → 7.3. */
  static Set<String> sectionNumbers(Path doc) throws IOException {
    Set<String> numbers = new TreeSet<>();
    for (String heading : headings(doc)) {
      Matcher number = HEADING_NUMBER.matcher(heading);
      if (number.find()) {
        numbers.add(number.group(1));
      }
    }
    return numbers;
  }

  private static List<String> headings(Path doc) throws IOException {
    boolean fenced = false;
    List<String> headings = new ArrayList<>();
    for (String line : Files.readAllLines(doc)) {
      fenced ^= line.startsWith("```");
      Matcher heading = HEADING.matcher(line);
      if (!fenced && heading.matches()) {
        headings.add(heading.group(1));
      }
    }
    return headings;
  }

  /** The heading begins with the cited words, or the citation with the heading's ("§ Configuration and keys"). */
  private static boolean sameStart(String heading, String cited) {
    String h = heading.replace("`", "").toLowerCase(Locale.ROOT) + " ";
    String c = cited.toLowerCase(Locale.ROOT) + " ";
    return h.startsWith(c) || c.startsWith(h);
  }

  /** A path from the repository's root, or a bare file name found anywhere in it; null when there is none. */
  private static Path resolve(String name) {
    Path path = Path.of(name).normalize();
    if (Files.isRegularFile(path)) {
      return path;
    }
    if (name.contains("/")) {
      return null;
    }
    try (Stream<Path> files = Files.walk(Path.of("."))) {
      return files.filter(p -> !ignored(p)).filter(p -> p.getFileName().toString().equals(name)).findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot search the repository for " + name, e);
    }
  }

  private static List<Path> sources() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (Path root : SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        sources.addAll(files.filter(Files::isRegularFile).filter(SectionCitationsTest::isText)
            .collect(Collectors.toList()));
      }
    }
    return sources;
  }

  private static boolean isText(Path path) {
    String name = path.getFileName().toString();
    return TEXT_FILES.contains(name.substring(name.lastIndexOf('.') + 1));
  }

  private static boolean ignored(Path path) {
    String p = path.normalize().toString();
    return p.startsWith("target") || p.startsWith(".git") || p.contains("node_modules");
  }
}
