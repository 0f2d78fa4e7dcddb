package org.ketamineadvisor.advisor.screen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.workspace.AssessmentJson;
import org.ketamineadvisor.advisor.workspace.PatientAssessor.AssessedPatient;

/**
 * One line of screen.ndjson: the {@code assess} line, byte for byte ({@link AssessmentJson}), with two fields
 * appended so that a worklist can be built from the file alone: {@code deciding}, the rule ids that decide the
 * verdict ({@link Assessment#decidingFindings()}: the contraindications met, the indications not met, the unknowns,
 * the precautions and interactions met; none for suitable), and {@code missing}, the rule ids whose outcome is
 * unknown (the data a nurse can chase).
 */
final class ScreenLine {

  private final AssessmentJson assessLine = new AssessmentJson();
  private final ObjectMapper json = new ObjectMapper();

  String line(AssessedPatient result) {
    String line = assessLine.line(result);
    Assessment a = result.assessment();
    try {
      return line.substring(0, line.length() - 1) + ",\"deciding\":" + json.writeValueAsString(ids(
          a.decidingFindings())) + ",\"missing\":" + json.writeValueAsString(ids(a.unknowns())) + "}";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a list of rule ids", e);
    }
  }

  private static List<String> ids(List<Finding> findings) {
    return findings.stream().map(f -> f.rule().id()).toList();
  }
}
