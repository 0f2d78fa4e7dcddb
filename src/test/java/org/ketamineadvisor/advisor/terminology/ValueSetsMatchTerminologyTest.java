package org.ketamineadvisor.advisor.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed ValueSets in fhir-profiles/ hold exactly the rows and names of the TSVs in terminology/:
 * nothing dropped, nothing invented. Reads the JSON independently of the generator.
 */
class ValueSetsMatchTerminologyTest {

  private static final Path PROFILES = Path.of("fhir-profiles");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyTsvHasAValueSetWithTheSameRowsAndNames() throws IOException {
    Path dir = TerminologyDir.locate();
    List<Path> tsvs = TerminologyValueSetGenerator.tsvFiles(dir);
    assertThat(tsvs).as("TSV files in " + dir).hasSize(ValueSetId.values().length);
    for (Path tsv : tsvs) {
      String id = TerminologyValueSetGenerator.idOf(tsv);
      Path file = PROFILES.resolve("ValueSet-" + id + ".json");
      assertThat(file).as("ValueSet for " + tsv.getFileName()).exists();
      JsonNode vs = JSON.readTree(file.toFile());

      assertThat(vs.path("url").asText()).isEqualTo(ValueSetId.fromId(id).canonicalUrl());
      List<String> rows = rowsOf(vs);
      assertThat(rows).as(file + " rows").containsExactlyInAnyOrderElementsOf(tsvLines(tsv));
      assertThat(rows).as(file + " row order").containsExactlyElementsOf(groupedBySystem(tsvLines(tsv)));
      assertThat(namesOf(vs)).as(file + " ingredient names").containsExactlyElementsOf(namesLines(tsv));
    }
  }

  /** The app's own value sets (verdicts, rule ids, …) draw only on its own CodeSystems; every other one needs a TSV. */
  @Test
  void thereIsNoValueSetWithoutATsv() throws IOException {
    Set<String> tsvIds =
        TerminologyValueSetGenerator.tsvFiles(TerminologyDir.locate()).stream()
            .map(TerminologyValueSetGenerator::idOf)
            .collect(Collectors.toSet());
    Set<String> valueSetIds = new TreeSet<>();
    try (Stream<Path> files = Files.list(PROFILES)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("ValueSet-") && n.endsWith(".json"))
          .filter(n -> !drawsOnlyOnOwnCodeSystems(PROFILES.resolve(n)))
          .forEach(n -> valueSetIds.add(n.substring("ValueSet-".length(), n.length() - ".json".length())));
    }
    assertThat(valueSetIds).isEqualTo(new TreeSet<>(tsvIds));
  }

  private static boolean drawsOnlyOnOwnCodeSystems(Path valueSet) {
    try {
      JsonNode includes = JSON.readTree(valueSet.toFile()).path("compose").path("include");
      boolean own = includes.size() > 0;
      for (JsonNode include : includes) {
        own &= include.path("system").asText().startsWith("https://ketamine-advisor.org/fhir/CodeSystem/");
      }
      return own;
    } catch (IOException e) {
      throw new AssertionError("cannot read " + valueSet, e);
    }
  }

  @Test
  void theGeneratorReproducesTheCommittedFiles() throws IOException {
    // a TSV change without regenerating would otherwise only show up as a row mismatch
    Path tsv = TerminologyDir.locate().resolve("ketamine.tsv");
    String generated =
        TerminologyValueSetGenerator.writer()
                .writeValueAsString(
                    TerminologyValueSetGenerator.valueSet(
                        "ketamine",
                        TerminologyValueSetGenerator.readRows(tsv),
                        TerminologyValueSetGenerator.readNames(TerminologyValueSetGenerator.namesFileFor(tsv))))
            + "\n";
    assertThat(PROFILES.resolve("ValueSet-ketamine.json")).hasContent(generated);
  }

  /** The TSV's data lines as they are in the file, joined by tabs. */
  private static List<String> tsvLines(Path tsv) throws IOException {
    return Files.readAllLines(tsv).stream().skip(1).filter(l -> !l.isEmpty()).toList();
  }

  /** One include per system in first-appearance order, TSV order within a system. */
  private static List<String> groupedBySystem(List<String> lines) {
    Map<String, List<String>> bySystem = new LinkedHashMap<>();
    for (String line : lines) {
      bySystem.computeIfAbsent(line.substring(0, line.indexOf('\t')), s -> new ArrayList<>()).add(line);
    }
    return bySystem.values().stream().flatMap(List::stream).toList();
  }

  private static List<String> namesLines(Path tsv) throws IOException {
    Path names = tsv.resolveSibling(TerminologyValueSetGenerator.idOf(tsv) + ".names.txt");
    return Files.exists(names) ? Files.readAllLines(names).stream().filter(l -> !l.isBlank()).toList() : List.of();
  }

  /** The ValueSet's concepts in TSV form: system, code, display, group, source. */
  private static List<String> rowsOf(JsonNode vs) {
    List<String> rows = new ArrayList<>();
    for (JsonNode include : vs.path("compose").path("include")) {
      for (JsonNode concept : include.path("concept")) {
        rows.add(
            String.join(
                "\t",
                include.path("system").asText(),
                concept.path("code").asText(),
                concept.path("display").asText(),
                extension(concept, TerminologyValueSetGenerator.GROUP_EXTENSION, "valueCode"),
                extension(concept, TerminologyValueSetGenerator.SOURCE_EXTENSION, "valueString")));
      }
    }
    return rows;
  }

  private static List<String> namesOf(JsonNode vs) {
    List<String> names = new ArrayList<>();
    for (JsonNode ext : vs.path("extension")) {
      if (TerminologyValueSetGenerator.NAME_EXTENSION.equals(ext.path("url").asText())) {
        names.add(ext.path("valueString").asText());
      }
    }
    return names;
  }

  private static String extension(JsonNode concept, String url, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode ext : concept.path("extension")) {
      if (url.equals(ext.path("url").asText())) {
        values.add(ext.path(field).asText());
      }
    }
    assertThat(values).as(url + " on " + concept.path("code").asText()).hasSize(1);
    return values.get(0);
  }
}
