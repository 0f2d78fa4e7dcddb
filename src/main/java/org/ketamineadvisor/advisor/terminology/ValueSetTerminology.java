package org.ketamineadvisor.advisor.terminology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Value-set membership from the ValueSets in {@code fhir-profiles/} (plus a site's local codes):
 * hash lookups by system and code, ICD-10-CM with or without the dot, and the whole-word
 * ingredient-name fallback for medication value sets. Immutable and thread-safe.
 */
public final class ValueSetTerminology implements Terminology {

  public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String RESOURCE_DIR = "/fhir-profiles/";
  static final String GROUP_EXTENSION =
      "https://ketamine-advisor.org/fhir/StructureDefinition/valueset-concept-group";
  static final String NAME_EXTENSION =
      "https://ketamine-advisor.org/fhir/StructureDefinition/valueset-ingredient-name";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<ValueSetId, Members> members;

  private ValueSetTerminology(Map<ValueSetId, Members> members) {
    this.members = members;
  }

  /** The curated value sets from the classpath, without local codes. */
  public static ValueSetTerminology loadDefault() {
    return load(LocalCodes.none());
  }

  /** The curated value sets from the classpath plus a site's local codes. */
  public static ValueSetTerminology load(LocalCodes localCodes) {
    return load(localCodes, ValueSetTerminology.class::getResourceAsStream);
  }

  /** Opens a classpath-style resource name; returns null when there is no such resource. */
  @FunctionalInterface
  interface ResourceOpener {
    InputStream open(String resource) throws IOException;
  }

  /** Seam for tests: the same loading from another source of ValueSet files. */
  static ValueSetTerminology load(LocalCodes localCodes, ResourceOpener opener) {
    Map<ValueSetId, Members> all = new EnumMap<>(ValueSetId.class);
    for (ValueSetId id : ValueSetId.values()) {
      all.put(id, readValueSet(id, opener));
    }
    for (LocalCodes.LocalCode local : localCodes.codes()) {
      all.get(local.valueSet()).addLocal(local);
    }
    return new ValueSetTerminology(all);
  }

  @Override
  public Optional<CodeMatch> match(ValueSetId valueSet, Concept concept) {
    Members m = members.get(valueSet);
    for (Code coding : concept.codings()) {
      if (coding.system() == null) {
        continue;
      }
      Map<String, CodeMatch> codes = m.bySystem.get(coding.system());
      if (codes == null) {
        continue;
      }
      String key = ICD10CM.equals(coding.system()) ? icdKey(coding.code()) : coding.code();
      CodeMatch hit = codes.get(key);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    return m.names == null ? Optional.empty() : matchByName(valueSet, m.names, concept);
  }

  /** The groups of a value set (evidence grades, ingredients, observation kinds). */
  public Set<String> groups(ValueSetId valueSet) {
    return Collections.unmodifiableSet(members.get(valueSet).groups);
  }

  /** The codes of a value set in one code system, local codes included (e.g. the LOINC codes to search for). */
  public Set<String> codes(ValueSetId valueSet, String system) {
    Map<String, CodeMatch> codes = members.get(valueSet).bySystem.getOrDefault(system, Map.of());
    Set<String> out = new java.util.TreeSet<>();
    codes.values().forEach(match -> out.add(match.matchedCode().code()));
    return Collections.unmodifiableSet(out);
  }

  /** The code systems a value set has codes in, local codes included (sorted, for a stable export request). */
  public Set<String> systems(ValueSetId valueSet) {
    return Collections.unmodifiableSet(new java.util.TreeSet<>(members.get(valueSet).bySystem.keySet()));
  }

  /** The number of codes in a value set, local codes included. */
  public int size(ValueSetId valueSet) {
    return members.get(valueSet).size;
  }

  /** The ingredient names used for the text fallback, in file order; empty for other value sets. */
  public List<String> ingredientNames(ValueSetId valueSet) {
    return members.get(valueSet).nameList;
  }

  private static Optional<CodeMatch> matchByName(ValueSetId valueSet, Pattern names, Concept concept) {
    Optional<CodeMatch> hit = matchText(valueSet, names, concept.text());
    if (hit.isPresent()) {
      return hit;
    }
    for (Code coding : concept.codings()) {
      hit = matchText(valueSet, names, coding.display());
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  private static Optional<CodeMatch> matchText(ValueSetId valueSet, Pattern names, String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = names.matcher(text);
    if (!matcher.find()) {
      return Optional.empty();
    }
    // names are lowercase ASCII in the source files, so lowercasing the hit gives the name back
    String name = matcher.group().toLowerCase(Locale.ROOT);
    return Optional.of(new CodeMatch(valueSet, new Code(null, name, text), name, true));
  }

  /** ICD-10-CM lookup key: without the dot, upper case ("f20.0" and "F200" both give "F200"). */
  static String icdKey(String code) {
    boolean plain = true;
    for (int i = 0; i < code.length() && plain; i++) {
      char c = code.charAt(i);
      plain = c != '.' && !Character.isLowerCase(c) && !Character.isWhitespace(c);
    }
    if (plain) {
      return code;
    }
    StringBuilder key = new StringBuilder(code.length());
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c != '.' && !Character.isWhitespace(c)) {
        key.append(Character.toUpperCase(c));
      }
    }
    return key.toString();
  }

  private static Members readValueSet(ValueSetId id, ResourceOpener opener) {
    String resource = RESOURCE_DIR + "ValueSet-" + id.id() + ".json";
    JsonNode root;
    try (InputStream in = opener.open(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "value set file " + resource + " is not on the classpath; regenerate fhir-profiles/ with"
                + " TerminologyValueSetGenerator and rebuild so it is copied into the jar");
      }
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(
          "value set file " + resource + " is not valid JSON (" + e.getMessage()
              + "); regenerate it with TerminologyValueSetGenerator", e);
    }
    if (!"ValueSet".equals(root.path("resourceType").asText())
        || !id.canonicalUrl().equals(root.path("url").asText())) {
      throw new IllegalStateException(
          "value set file " + resource + " must hold a ValueSet with url " + id.canonicalUrl());
    }
    Members m = new Members(id);
    for (JsonNode include : root.path("compose").path("include")) {
      String system = include.path("system").asText(null);
      if (system == null) {
        throw new IllegalStateException(resource + ": a compose.include has no system");
      }
      for (JsonNode concept : include.path("concept")) {
        String code = concept.path("code").asText(null);
        String group = extensionValue(concept, GROUP_EXTENSION, "valueCode");
        if (code == null || group == null) {
          throw new IllegalStateException(
              resource + ": concept " + concept + " needs a code and a " + GROUP_EXTENSION + " extension");
        }
        m.add(new Code(system, code, concept.path("display").asText(null)), group, resource);
      }
    }
    List<String> names = new ArrayList<>();
    for (JsonNode ext : root.path("extension")) {
      if (NAME_EXTENSION.equals(ext.path("url").asText())) {
        names.add(ext.path("valueString").asText());
      }
    }
    m.setNames(names);
    return m;
  }

  private static String extensionValue(JsonNode element, String url, String valueField) {
    for (JsonNode ext : element.path("extension")) {
      if (url.equals(ext.path("url").asText())) {
        return ext.path(valueField).asText(null);
      }
    }
    return null;
  }

  /** The codes of one value set, keyed by system then lookup key, with prebuilt matches. */
  private static final class Members {
    private final ValueSetId id;
    private final Map<String, Map<String, CodeMatch>> bySystem = new HashMap<>();
    private final Set<String> groups = new LinkedHashSet<>();
    private int size;
    private Pattern names;
    private List<String> nameList = List.of();

    Members(ValueSetId id) {
      this.id = id;
    }

    void add(Code code, String group, String where) {
      String key = ICD10CM.equals(code.system()) ? icdKey(code.code()) : code.code();
      CodeMatch previous =
          bySystem
              .computeIfAbsent(code.system(), s -> new HashMap<>())
              .putIfAbsent(key, new CodeMatch(id, code, group, false));
      if (previous != null && !previous.group().equals(group)) {
        throw new IllegalStateException(
            where + ": code " + code.system() + "|" + code.code() + " is in value set " + id.id()
                + " twice, with groups '" + previous.group() + "' and '" + group + "'; keep one");
      }
      if (previous == null) {
        size++;
      }
      groups.add(group);
    }

    void addLocal(LocalCodes.LocalCode local) {
      if (!groups.contains(local.group())) {
        throw new IllegalArgumentException(
            local.origin() + ": group '" + local.group() + "' is not a group of value set " + id.id()
                + "; use one of: " + String.join(", ", groups));
      }
      add(local.code(), local.group(), local.origin());
    }

    void setNames(List<String> list) {
      nameList = List.copyOf(list);
      if (list.isEmpty()) {
        return;
      }
      // longest first, so that a longer name wins where two could match at the same place
      String alternatives =
          list.stream()
              .sorted(Comparator.comparingInt(String::length).reversed())
              .map(Pattern::quote)
              .collect(Collectors.joining("|"));
      // a letter or digit on either side means the name is part of another word ("hydroxycodone")
      names =
          Pattern.compile(
              "(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);
    }
  }

  @Override
  public String toString() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    members.forEach((id, m) -> sizes.put(id.id(), m.size));
    return "ValueSetTerminology" + sizes;
  }
}
