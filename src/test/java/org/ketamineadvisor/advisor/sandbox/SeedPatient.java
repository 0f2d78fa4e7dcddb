package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * A patient the EHR simulator lists, read from a seed Bundle; the story comes from the table in
 * {@code launch/sandbox/README.md} when the patient is there.
 */
record SeedPatient(String id, String name, String sex, LocalDate birthDate, boolean deceased, String story) {

  /** A README table row: {@code | `crps-suitable` | F 48. CRPS … | `suitable` | …}. */
  private static final Pattern README_ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|");

  SeedPatient {
    Objects.requireNonNull(id, "id");
    name = name == null || name.isBlank() ? id : name;
    story = story == null ? "" : story.strip();
  }

  String ageOn(LocalDate day) {
    if (birthDate == null) {
      return "age unknown";
    }
    return Period.between(birthDate, day).getYears() + (deceased ? " (deceased)" : "");
  }

  /** Today on the EHR's clock, in its zone. */
  static LocalDate today(EhrClock clock) {
    return LocalDate.now(clock);
  }

  /** The patients of every {@code .json} Bundle directly in {@code dir}, in file-name order. */
  static List<SeedPatient> readAll(Path dir) {
    Map<String, String> stories = stories(dir.resolve("README.md"));
    IParser parser = FixtureLoader.FHIR.newJsonParser();
    // entries have urn:uuid: fullUrls; the id the EHR knows is the resource's own
    parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted()
          .flatMap(file -> patientsIn(parser, file).stream())
          .map(patient -> new SeedPatient(
              patient.getIdElement().getIdPart(),
              patient.getNameFirstRep().getNameAsSingleString(),
              patient.hasGender() ? patient.getGender().getDisplay() : "unknown",
              patient.hasBirthDate() ? LocalDate.parse(patient.getBirthDateElement().getValueAsString()) : null,
              patient.hasDeceased() && !(patient.hasDeceasedBooleanType() && !patient.getDeceasedBooleanType().booleanValue()),
              stories.get(patient.getIdElement().getIdPart())))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the seed patients in " + dir, e);
    }
  }

  private static List<Patient> patientsIn(IParser parser, Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Bundle bundle = parser.parseResource(Bundle.class, reader);
      return bundle.getEntry().stream()
          .filter(entry -> entry.getResource() instanceof Patient)
          .map(entry -> (Patient) entry.getResource())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read seed Bundle " + file, e);
    }
  }

  private static Map<String, String> stories(Path readme) {
    Map<String, String> stories = new HashMap<>();
    if (!Files.isRegularFile(readme)) {
      return stories;
    }
    try {
      for (String line : Files.readAllLines(readme)) {
        Matcher row = README_ROW.matcher(line);
        if (row.find()) {
          stories.put(row.group(1), row.group(2));
        }
      }
    } catch (IOException e) {
      // the stories only decorate the simulator's list
      return Map.of();
    }
    return stories;
  }
}
