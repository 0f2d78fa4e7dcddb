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
 * What a screening export asks for: only the resource types the rules read, and of Observation only the LOINC codes
 * the rules read within the longest look-back of the rules. Taken from the value sets and the rule settings, so a
 * new rule code or window reaches the export without a second list to keep in step.
 */
public final class RulesExport {

  static final String LOINC = "http://loinc.org";

  /** The types the rules read; Medication is referenced by the medication orders and statements. */
  public static final List<String> TYPES = List.of("Patient", "Condition", "Observation", "MedicationRequest",
      "MedicationStatement", "AllergyIntolerance", "Medication");

  private RulesExport() {}

  /** The types to ask for: Medication only at system level, since it is not in the Patient compartment. */
  public static List<String> types(ExportLevel level) {
    return level == ExportLevel.SYSTEM ? TYPES : TYPES.stream().filter(t -> !t.equals("Medication")).toList();
  }

  /** The default scope: SMART v2 read-and-search system scopes for exactly the types the rules read. */
  public static String defaultScope() {
    return TYPES.stream().map(t -> "system/" + t + ".rs").collect(Collectors.joining(" "));
  }

  /** The Observation {@code _typeFilter}: the rules' LOINC codes, dated within the longest window before as-of. */
  public static String observationFilter(ValueSetTerminology terminology, RuleSettings settings, LocalDate asOf) {
    Set<String> codes = new TreeSet<>(terminology.codes(ValueSetId.OBSERVATION_CODES, LOINC));
    codes.addAll(terminology.codes(ValueSetId.HCG_TESTS, LOINC));
    return "Observation?code=" + codes.stream().map(c -> LOINC + "|" + c).collect(Collectors.joining(","))
        + "&date=ge" + asOf.minusDays(lookBackDays(settings));
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
