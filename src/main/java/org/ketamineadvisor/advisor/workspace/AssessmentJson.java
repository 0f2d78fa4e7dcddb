package org.ketamineadvisor.advisor.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.RoundingMode;
import org.ketamineadvisor.advisor.assessment.Assessment;
import org.ketamineadvisor.advisor.assessment.Finding;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.careplan.InfusionPlan;

/** The NDJSON line of docs/command-line.md § The output line: a stable contract, so fields are written explicitly. */
public final class AssessmentJson {

  private final ObjectMapper mapper = new ObjectMapper();

  public AssessmentJson() {}

  public String line(PatientAssessor.AssessedPatient result) {
    Assessment a = result.assessment();
    ObjectNode root = mapper.createObjectNode();
    root.put("patient", a.patient().id());
    root.put("asOf", a.asOf().toString());
    root.put("verdict", a.verdict().code());
    ArrayNode findings = root.putArray("findings");
    for (Finding f : a.reportableFindings()) {
      ObjectNode node = findings.addObject();
      node.put("rule", f.rule().id());
      node.put("outcome", f.outcome().code());
      ArrayNode evidence = node.putArray("evidence");
      f.evidence().forEach(evidence::add);
      node.put("detail", f.detail());
    }
    ObjectNode risks = root.putObject("risks");
    for (Risk risk : Risk.values()) {
      risks.put(risk.code(), a.risks().getOrDefault(risk, Risk.Level.LOW).code());
    }
    result.plan().ifPresentOrElse(plan -> root.set("protocol", protocol(plan)), () -> root.putNull("protocol"));
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the assessment of patient " + a.patient().id(), e);
    }
  }

  private ObjectNode protocol(InfusionPlan plan) {
    ObjectNode node = mapper.createObjectNode();
    node.put("id", plan.protocol().id());
    node.put("sessions", plan.sessions());
    node.put("doseMg", plan.doseMg());
    if (plan.rateMgPerHour() == null) {
      node.putNull("rateMgPerHour");
    } else {
      node.put("rateMgPerHour", plan.rateMgPerHour());
    }
    node.put("minutesPerSession", plan.minutesPerSession());
    node.put("weightKg", plan.weightKg().setScale(1, RoundingMode.HALF_UP).doubleValue());
    return node;
  }
}
