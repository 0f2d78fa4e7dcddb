package org.ketamineadvisor.sparkjob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.screen.ScreenSummary;

/**
 * counts.json: the counts of summary.html, for machines (a lake's job, a dashboard, the identity test): every patient
 * in exactly one of {@code notIndicatedUnassessed}, {@code verdicts}, {@code failures}, {@code unread}. No patient ids.
 */
final class CountsJson {

  private CountsJson() {}

  static String of(ScreenSummary s) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("asOf", s.asOf().toString());
    ArrayNode inputs = root.putArray("inputs");
    s.inputs().forEach(inputs::add);
    root.put("patients", s.patients());
    root.put("candidates", s.candidates());
    root.put("assessed", s.assessed());
    ObjectNode verdicts = root.putObject("verdicts");
    for (Verdict v : Verdict.values()) {
      verdicts.put(v.code(), s.verdicts().get(v));
    }
    root.put("notIndicated", s.notIndicated());
    root.put("notIndicatedUnassessed", s.notIndicatedUnassessed());
    root.put("onWorklist", s.worklist().size());
    ArrayNode reasons = root.putArray("reasons");
    for (ScreenSummary.ReasonCount r : s.reasons()) {
      reasons.addObject().put("rule", r.rule()).put("outcome", r.outcome()).put("words", r.words())
          .put("patients", r.patients());
    }
    root.put("problems", s.problems());
    root.put("warnings", s.warnings());
    root.put("failures", s.failures());
    root.put("unread", s.unread());
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the counts", e);
    }
  }
}
