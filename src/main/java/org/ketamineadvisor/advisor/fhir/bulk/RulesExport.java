package org.ketamineadvisor.advisor.fhir.bulk;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ketamineadvisor.advisor.assessment.RuleSettings;
import org.ketamineadvisor.advisor.terminology.ValueSetId;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * What a screening export asks for: only the resource types the rules read, and of Observation only the codes (of
 * every code system, site-local codes included) the rules read within the longest look-back of the rules. Taken from the value sets and the rule settings, so a
 * new rule code or window reaches the export without a second list to keep in step.
 */
public final class RulesExport {

  static final String LOINC = "http://loinc.org";

  /** The types the rules read; Medication is referenced by the medication orders and statements. */
  public static final List<String> TYPES = List.of("Patient", "Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance", "Medication");

  private RulesExport() {}

  /**
   * The types to ask for, Medication at every level: it is not in the Patient compartment, but servers export the
   * Medications a Group's or patients' orders reference when asked (without them a medicationReference stays
   * unresolved and the drug rules unknown); a server that refuses it is asked again without it.
   */
  public static List<String> types(ExportLevel level) {
    return TYPES;
  }

  /**
   * The types whose absence leaves rules without data: all asked-for types but Medication (a missing Medication
   * file is normal: orders may carry the drug as a code).
   */
  public static boolean isRuleType(String type) {
    return TYPES.contains(type) && !type.equals("Medication");
  }

  /** The default scope: SMART v2 read-and-search system scopes for exactly the types the rules read. */
  public static String defaultScope() {
    return TYPES.stream().map(t -> "system/" + t + ".rs").collect(Collectors.joining(" "));
  }

  /**
   * The Observation {@code _typeFilter}: the rules' codes of every code system in the observation and hCG value sets
   * (site-local codes from {@code --local-codes} included, else their observations would never be exported), as
   * {@code system|code} tokens, dated within the longest window before as-of.
   */
  public static String observationFilter(ValueSetTerminology terminology, RuleSettings settings, LocalDate asOf) {
    Set<String> tokens = new TreeSet<>();
    for (ValueSetId valueSet : List.of(ValueSetId.OBSERVATION_CODES, ValueSetId.HCG_TESTS)) {
      for (String system : terminology.systems(valueSet)) {
        terminology.codes(valueSet, system).forEach(code -> tokens.add(escape(system) + "|" + escape(code)));
      }
    }
    return "Observation?code=" + String.join(",", tokens) + "&date=ge" + asOf.minusDays(lookBackDays(settings));
  }

  /** A token part with FHIR search's reserved characters escaped ({@code \,} {@code \|} {@code \$}). */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
  }

  /**
   * The longest observation window of the rules (intraocular pressure, 365 days by default), plus a day for time
   * zones, as the server reader searches.
   */
  static int lookBackDays(RuleSettings settings) {
    return IntStream.of(settings.bloodPressureWindowDays(), settings.heartRateWindowDays(),
        settings.pregnancyWindowDays(), settings.liverTestWindowDays(), settings.weightWindowDays(),
        settings.painScoreWindowDays(), settings.intraocularPressureWindowDays()).max().orElseThrow() + 1;
  }
}
