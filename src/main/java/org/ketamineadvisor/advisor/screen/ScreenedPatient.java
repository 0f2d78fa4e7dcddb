package org.ketamineadvisor.advisor.screen;

import java.io.Serializable;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;

/**
 * One patient of the screen, done: what {@link ScreenOutputs} writes for it and counts, made by
 * {@link PatientScreen}. Plain values (Serializable), so that the Spark job can screen patients on its executors
 * and write them, in id order, on the driver.
 *
 * @param patientId the patient's id
 * @param source the files the patient was read from, for problem lines
 * @param readProblems what could not be read of the patient's resources (written first, as the reader reports them)
 * @param verdict the verdict; null when the patient was not assessed (unreadable, or the assessment failed)
 * @param line the screen.ndjson line ({@link ScreenLine}); null when not assessed
 * @param worklistRow the worklist.csv row without its rank; null when the verdict is not on the worklist
 * @param deciding the findings that decide the verdict, one patient each (rule, outcome, words)
 * @param missing the rule ids whose outcome is unknown
 * @param warnings what the mapping or the rules could not use
 * @param failure why the assessment failed (an internal error); null when it did not
 * @param protocol the planned protocol's id, or null
 * @param sessions the planned sessions, or null
 * @param doseMg the planned dose per session in mg, or null
 */
public record ScreenedPatient(String patientId, String source, List<InputProblem> readProblems, Verdict verdict,
    String line, String worklistRow, List<ScreenSummary.ReasonCount> deciding, List<String> missing,
    List<String> warnings, String failure, String protocol, Integer sessions, Integer doseMg) implements Serializable {

  public ScreenedPatient {
    readProblems = List.copyOf(readProblems);
    deciding = List.copyOf(deciding);
    missing = List.copyOf(missing);
    warnings = List.copyOf(warnings);
  }

  /** Whether the patient was assessed (a verdict, a line in screen.ndjson). */
  public boolean assessed() {
    return verdict != null;
  }

  /** A patient whose resources could not be handed to the rules: only what went wrong reading them. */
  static ScreenedPatient unread(String patientId, List<InputProblem> readProblems) {
    return new ScreenedPatient(patientId, "", readProblems, null, null, null, List.of(), List.of(), List.of(), null,
        null, null, null);
  }
}
