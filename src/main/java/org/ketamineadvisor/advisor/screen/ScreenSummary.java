package org.ketamineadvisor.advisor.screen;

import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * What a screen found, for the summary page, the command line's exit status and the caller (the Bulk Data door calls
 * {@link Screening#run} after its download). Every patient is in exactly one count:
 * {@code patients = notIndicatedUnassessed + sum(verdicts) + failures + unread}.
 *
 * @param patients distinct Patient ids in the export
 * @param candidates patients with a neuropathic pain condition code (with a Patient resource), to be assessed
 * @param verdicts the assessed candidates by verdict
 * @param notIndicatedUnassessed patients without any neuropathic pain condition: not indicated, not assessed
 * @param reasons how often each finding decided a verdict (the not-assessed patients' IND-NEUROPATHIC included)
 * @param problems input problems (unreadable files, broken lines), each in problems.txt
 * @param firstProblemLocations where the first few problems are (file and line; no patient ids), for stderr
 * @param warnings what the mapping or the rules could not use in an assessed candidate's record
 * @param failures candidates whose assessment failed (an internal error, in problems.txt)
 * @param unread candidates whose resources could not be read (their Patient resource unreadable)
 * @param worklist the worklist's patient ids in its order (suitable, with precautions, needs information), for
 *     {@code --write-group}
 * @param typesNotExported FHIR resource types the server's export left out: the rules reading them are unknown for
 *     every candidate, and the screen is incomplete
 */
public record ScreenSummary(LocalDate asOf, List<String> inputs, long patients, long candidates,
    Map<Verdict, Long> verdicts, long notIndicatedUnassessed, List<ReasonCount> reasons, int problems,
    List<String> firstProblemLocations, int warnings, int failures, long unread, Duration census, Duration took,
    List<String> worklist, List<String> typesNotExported) {

  public ScreenSummary {
    inputs = List.copyOf(inputs);
    Map<Verdict, Long> all = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      all.put(v, verdicts.getOrDefault(v, 0L));
    }
    verdicts = java.util.Collections.unmodifiableMap(all);
    reasons = List.copyOf(reasons);
    firstProblemLocations = List.copyOf(firstProblemLocations);
    worklist = List.copyOf(worklist);
    typesNotExported = List.copyOf(typesNotExported);
  }

  /** Candidates assessed (whatever the verdict). */
  public long assessed() {
    return verdicts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** All patients not indicated: those assessed so and those without a neuropathic condition. */
  public long notIndicated() {
    return verdicts.get(Verdict.NOT_INDICATED) + notIndicatedUnassessed;
  }

  /**
   * One deciding reason and how many patients it decided for (a patient with two contraindications counts under
   * both).
   *
   * @param rule the rule id, e.g. CI-PSYCHOSIS
   * @param outcome met, not-met or unknown
   * @param words what it means, for the service lead
   */
  public record ReasonCount(String rule, String outcome, String words, long patients) implements java.io.Serializable {
  }
}
