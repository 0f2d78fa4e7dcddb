package org.ketamineadvisor.advisor.terminology;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds fhir-profiles/ValueSet-*.json and the three concept/ingredient extension definitions from
 * the curated TSV code lists, so the app's only copy of the codes is a FHIR artefact.
 *
 * <p>Run: {@code TerminologyValueSetGenerator terminology fhir-profiles}. Jackson, not
 * HAPI, so that the terminology package stays free of HAPI even in its tooling.
 */
public final class TerminologyValueSetGenerator {

  static final String BASE = "https://ketamine-advisor.org/fhir";
  static final String GROUP_EXTENSION = BASE + "/StructureDefinition/valueset-concept-group";
  static final String SOURCE_EXTENSION = BASE + "/StructureDefinition/valueset-concept-source";
  static final String NAME_EXTENSION = BASE + "/StructureDefinition/valueset-ingredient-name";
  static final String PUBLISHER = "Ketamine Infusion Advisor";
  static final String VERSION = "1.0.0";
  static final String TSV_HEADER = "system\tcode\tdisplay\tgroup\tsource";

  /** One line of a terminology TSV (terminology/). */
  record Row(String system, String code, String display, String group, String source) {}

  /** Title and one-sentence description per value set; the sentences follow the terminology README. */
  private static final Map<String, String[]> TEXTS = new LinkedHashMap<>();

  static {
    text("neuropathic-pain-indications", "Neuropathic pain indications",
        "Neuropathic-pain indications for ketamine graded crps, central, peripheral and other, from the AHRQ PMS VSAC set 2.16.840.1.113762.1.4.1021.95 and its cds4cpm copy, eCQM Diabetes and Varicella Zoster value sets, public ICD-10-CM tables and Synthea.");
    text("psychotic-disorders", "Psychotic disorders",
        "Schizophrenia and other psychotic disorders, from the eCQM Schizophrenia (2.16.840.1.113883.3.464.1003.105.12.1205) and Schizophrenia or Psychotic Disorder (…105.12.1104) value sets.");
    text("bipolar-disorders", "Bipolar disorders",
        "Bipolar disorders, from the eCQM Bipolar Disorder (2.16.840.1.113883.3.67.1.101.1.128) and Bipolar Diagnosis (2.16.840.1.113883.3.600.450) value sets.");
    text("hypertension", "Systemic arterial hypertension",
        "Systemic arterial hypertension only (essential, secondary, with organ involvement, pregnancy-related), from the eCQM Essential Hypertension and Diagnosis of Hypertension value sets with non-systemic codes removed, plus Synthea codes.");
    text("heart-failure", "Heart failure",
        "Heart failure, from the eCQM Heart Failure value set 2.16.840.1.113883.3.526.3.376 and Synthea.");
    text("unstable-angina", "Unstable angina and acute coronary syndrome",
        "Unstable angina and acute coronary syndrome without infarction, split out of the eCQM CAD No MI, Ischemic Heart Disease and Stable and Unstable Angina value sets.");
    text("myocardial-infarction", "Myocardial infarction",
        "Myocardial infarction, its complications and history, from the eCQM Myocardial Infarction value set 2.16.840.1.113883.3.526.3.403, the Ischemic Heart Disease value set, public ICD-10-CM tables and Synthea.");
    text("stable-cardiovascular-disease", "Stable cardiovascular disease",
        "Stable angina and ischemic heart disease (not infarction, unstable angina or heart failure), from the eCQM CAD No MI, Ischemic Heart Disease and Stable and Unstable Angina value sets and Synthea.");
    text("arrhythmia", "Arrhythmia",
        "Arrhythmias including atrial fibrillation and flutter, from the eCQM Arrhythmia value set 2.16.840.1.113883.3.526.3.366, public ICD-10-CM tables and Synthea.");
    text("cerebrovascular-accident", "Cerebrovascular accident",
        "Stroke only (ischemic, hemorrhagic, stroke syndromes, sequelae and history), from the eCQM Cerebrovascular Disease, Stroke, TIA value set 2.16.840.1.113762.1.4.1047.44 without TIA, plus Synthea.");
    text("pregnancy", "Pregnancy",
        "Pregnancy, from the eCQM Pregnancy value set 2.16.840.1.113883.3.526.3.378, its cds4cpm copy, the cds4cpm VSAC set 2.16.840.1.113762.1.4.1021.74 and Synthea.");
    text("hcg-tests", "hCG tests",
        "LOINC hCG tests (presence, quantity, interpretation), from the eCQM Pregnancy Test value set 2.16.840.1.113883.3.464.1003.111.12.1011 and Synthea.");
    text("severe-hepatic-disease", "Severe hepatic disease",
        "Cirrhosis and hepatic failure, selected from the eCQM Chronic Liver Disease and Liver Disease value sets (and their cds4cpm copies) and public ICD-10-CM tables.");
    text("liver-disease", "Other liver disease",
        "Liver disease without cirrhosis or failure (viral hepatitis, toxic, fibrosis, alcoholic, other), the remaining codes of the eCQM Chronic Liver Disease and Liver Disease value sets, plus Synthea.");
    text("substance-use-disorders", "Substance use disorders",
        "Alcohol, opioid and other substance use disorders, from the CDC opioid-cds substance-misuse and opioid-misuse value sets, the eCQM Alcohol and Drug Dependence value set and Synthea.");
    text("glaucoma", "Glaucoma",
        "Glaucoma and ocular hypertension, from the eCQM Glaucoma value set 2.16.840.1.113883.3.526.3.1423 and the eCQM Diagnosis of Hypertension value set.");
    text("intracranial-hypertension", "Intracranial hypertension",
        "Intracranial hypertension, from public ICD-10-CM tables, the eCQM Diagnosis of Hypertension value set and public code maps.");
    text("hyperthyroidism", "Hyperthyroidism",
        "Hyperthyroidism and thyrotoxicosis, from the eCQM Hyperthyroidism value set 2.16.840.1.113883.3.464.1003.117.12.1015.");
    text("first-line-neuropathic-agents", "First-line neuropathic pain agents",
        "First-line neuropathic pain agents (gabapentinoids, tricyclic antidepressants, SNRIs) as ingredients and products, from the CPIC drug table, eCQM antidepressant value sets, the cds4cpm non-opioid pain medication set, public drug tables and Synthea.");
    text("opioids", "Opioids",
        "Opioid ingredients and products, grouped by ingredient, from the CDC opioid-cds value sets and OMTK drug table, the cds4cpm opioid set, CPIC and Synthea.");
    text("benzodiazepines", "Benzodiazepines",
        "Benzodiazepine ingredients and products, grouped by ingredient, from the CDC opioid-cds and cds4cpm benzodiazepine sets, the eCQM Benzodiazepine value set, CPIC and Synthea.");
    text("cns-depressants", "Other CNS depressants",
        "Non-benzodiazepine CNS depressants (z-drugs, barbiturates, oxybates, anaesthetics, gabapentinoids and others), grouped by ingredient, from the CDC opioid-cds CNS-depressant and barbiturate sets, eCQM hypnotic and barbiturate value sets, cds4cpm and Synthea.");
    text("sympathomimetics", "Sympathomimetics",
        "Systemic sympathomimetics (stimulants, anorectics, vasopressors, decongestant combinations), grouped by ingredient, from the CDC opioid-cds amphetamine set, eCQM ADHD and antihistamine value sets, cds4cpm, OMTK and Synthea.");
    text("maois", "Monoamine oxidase inhibitors",
        "Monoamine oxidase inhibitors (phenelzine, selegiline, tranylcypromine, isocarboxazid), grouped by ingredient, from the eCQM antidepressant value sets and public drug tables.");
    text("xanthines", "Xanthines",
        "Aminophylline ingredient and products, from the PEDSnet Variable-Dictionary RxNorm rows; theophylline is matched by name only.");
    text("ketamine", "Ketamine and esketamine",
        "Ketamine and esketamine ingredients and products, from the cds4cpm VSAC set 2.16.840.1.113762.1.4.1021.73, openFDA NDC records and public drug tables.");
    text("observation-codes", "Observation codes",
        "LOINC codes of the observations the rules read (blood pressure, heart rate, weight, pain severity, liver tests, pregnancy status, intraocular pressure, SpO2, respiratory rate), from Synthea, eCQM and AHRQ PMS value sets and public LOINC lists.");
  }

  private static void text(String id, String title, String description) {
    TEXTS.put(id, new String[] {title, description});
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private TerminologyValueSetGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: TerminologyValueSetGenerator <terminology dir> <output dir>");
      System.exit(2);
    }
    Path tsvDir = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    Files.createDirectories(outDir);
    ObjectWriter writer = writer();
    int written = 0;
    for (Path tsv : tsvFiles(tsvDir)) {
      String id = idOf(tsv);
      ObjectNode valueSet = valueSet(id, readRows(tsv), readNames(namesFileFor(tsv)));
      Files.writeString(outDir.resolve("ValueSet-" + id + ".json"), writer.writeValueAsString(valueSet) + "\n");
      written++;
    }
    for (ObjectNode sd : extensionDefinitions()) {
      Files.writeString(
          outDir.resolve("StructureDefinition-" + sd.get("id").asText() + ".json"),
          writer.writeValueAsString(sd) + "\n");
    }
    System.out.println("wrote " + written + " ValueSets and 3 StructureDefinitions to " + outDir);
  }

  /** Two-space indentation, LF line ends, arrays one element per line: stable diffs. */
  static ObjectWriter writer() {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return new ObjectMapper().writer(printer);
  }

  static List<Path> tsvFiles(Path tsvDir) {
    try (Stream<Path> files = Files.list(tsvDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tsvDir, e);
    }
  }

  static String idOf(Path tsv) {
    String name = tsv.getFileName().toString();
    return name.substring(0, name.length() - ".tsv".length());
  }

  static Path namesFileFor(Path tsv) {
    return tsv.resolveSibling(idOf(tsv) + ".names.txt");
  }

  static List<Row> readRows(Path tsv) {
    List<String> lines = lines(tsv);
    if (lines.isEmpty() || !lines.get(0).equals(TSV_HEADER)) {
      throw new IllegalStateException(tsv + ": first line must be the header '" + TSV_HEADER + "'");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 5) {
        throw new IllegalStateException(tsv + " line " + (i + 1) + ": expected 5 tab-separated columns, found " + f.length);
      }
      rows.add(new Row(f[0], f[1], f[2], f[3], f[4]));
    }
    return rows;
  }

  /** The ingredient names, file order; empty when the value set has no names file. */
  static List<String> readNames(Path namesFile) {
    if (!Files.exists(namesFile)) {
      return List.of();
    }
    return lines(namesFile).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The ValueSet resource for one TSV, in memory. */
  static ObjectNode valueSet(String id, List<Row> rows, List<String> names) {
    String[] texts = TEXTS.get(id);
    if (texts == null) {
      throw new IllegalStateException("no title/description for value set '" + id + "': add it to TEXTS");
    }
    ObjectNode vs = JSON.objectNode();
    vs.put("resourceType", "ValueSet");
    vs.put("id", id);
    ObjectNode narrative = vs.putObject("text");
    narrative.put("status", "generated");
    narrative.put(
        "div",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + escapeXml(texts[0]) + ": " + rows.size()
            + " codes. " + escapeXml(texts[1]) + "</p></div>");
    if (!names.isEmpty()) {
      ArrayNode extensions = vs.putArray("extension");
      for (String name : names) {
        extensions.add(extension(NAME_EXTENSION, "valueString", name));
      }
    }
    vs.put("url", BASE + "/ValueSet/" + id);
    vs.put("version", VERSION);
    vs.put("name", camelCase(id));
    vs.put("title", texts[0]);
    vs.put("status", "active");
    vs.put("experimental", false);
    vs.put("publisher", PUBLISHER);
    vs.put("description", texts[1]);

    Map<String, ArrayNode> conceptsBySystem = new LinkedHashMap<>();
    for (Row row : rows) {
      ArrayNode concepts = conceptsBySystem.computeIfAbsent(row.system(), s -> JSON.arrayNode());
      ObjectNode concept = concepts.addObject();
      ArrayNode ext = concept.putArray("extension");
      ext.add(extension(GROUP_EXTENSION, "valueCode", row.group()));
      ext.add(extension(SOURCE_EXTENSION, "valueString", row.source()));
      concept.put("code", row.code());
      concept.put("display", row.display());
    }
    ArrayNode includes = vs.putObject("compose").putArray("include");
    conceptsBySystem.forEach(
        (system, concepts) -> {
          ObjectNode include = includes.addObject();
          include.put("system", system);
          include.set("concept", concepts);
        });
    return vs;
  }

  private static ObjectNode extension(String url, String valueType, String value) {
    ObjectNode ext = JSON.objectNode();
    ext.put("url", url);
    ext.put(valueType, value);
    return ext;
  }

  static String camelCase(String id) {
    StringBuilder sb = new StringBuilder();
    for (String part : id.split("-")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * The three extension StructureDefinitions the ValueSets use. Their context is a FHIRPath
   * expression: an element context makes HAPI 8.8's validator fetch hl7.fhir.r4.core online.
   */
  static List<ObjectNode> extensionDefinitions() {
    return List.of(
        extensionDefinition(
            "valueset-concept-group", "ValueSetConceptGroup", "ValueSet concept group",
            "The sub-class of a value-set concept that the ketamine rules use: an indication evidence grade, a drug ingredient or an observation kind.",
            "fhirpath", "ValueSet.compose.include.concept", "1", "code"),
        extensionDefinition(
            "valueset-concept-source", "ValueSetConceptSource", "ValueSet concept source",
            "Short citations of the sources a value-set concept was taken from, joined with '; '.",
            "fhirpath", "ValueSet.compose.include.concept", "1", "string"),
        extensionDefinition(
            "valueset-ingredient-name", "ValueSetIngredientName", "ValueSet ingredient name",
            "A lowercase ingredient name of a medication value set; a medication whose text or coding display holds the name as a whole word belongs to the value set when none of its codes does.",
            "fhirpath", "ValueSet", "*", "string"));
  }

  private static ObjectNode extensionDefinition(
      String id, String name, String title, String description,
      String contextType, String contextExpression, String max, String valueType) {
    String url = BASE + "/StructureDefinition/" + id;
    ObjectNode sd = JSON.objectNode();
    sd.put("resourceType", "StructureDefinition");
    sd.put("id", id);
    ObjectNode narrative = sd.putObject("text");
    narrative.put("status", "generated");
    narrative.put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + escapeXml(title) + ": " + escapeXml(description) + "</p></div>");
    sd.put("url", url);
    sd.put("version", VERSION);
    sd.put("name", name);
    sd.put("title", title);
    sd.put("status", "active");
    sd.put("experimental", false);
    sd.put("publisher", PUBLISHER);
    sd.put("description", description);
    sd.put("fhirVersion", "4.0.1");
    sd.put("kind", "complex-type");
    sd.put("abstract", false);
    ObjectNode context = sd.putArray("context").addObject();
    context.put("type", contextType);
    context.put("expression", contextExpression);
    sd.put("type", "Extension");
    sd.put("baseDefinition", "http://hl7.org/fhir/StructureDefinition/Extension");
    sd.put("derivation", "constraint");
    ArrayNode elements = sd.putObject("differential").putArray("element");
    ObjectNode root = elements.addObject();
    root.put("id", "Extension");
    root.put("path", "Extension");
    root.put("short", title);
    root.put("definition", description);
    root.put("min", 0);
    root.put("max", max);
    ObjectNode nested = elements.addObject();
    nested.put("id", "Extension.extension");
    nested.put("path", "Extension.extension");
    nested.put("max", "0");
    ObjectNode urlElement = elements.addObject();
    urlElement.put("id", "Extension.url");
    urlElement.put("path", "Extension.url");
    urlElement.put("fixedUri", url);
    ObjectNode value = elements.addObject();
    value.put("id", "Extension.value[x]");
    value.put("path", "Extension.value[x]");
    value.put("min", 1);
    value.putArray("type").addObject().put("code", valueType);
    return sd;
  }
}
