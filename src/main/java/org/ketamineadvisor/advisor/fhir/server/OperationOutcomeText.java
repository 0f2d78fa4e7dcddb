package org.ketamineadvisor.advisor.fhir.server;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/** A server's OperationOutcome in plain words for a person: "error: Resource Patient/x not found", no JSON. */
public final class OperationOutcomeText {

  private OperationOutcomeText() {}

  /** One phrase per issue ("severity: text"), joined by "; "; null when there is nothing to say. */
  public static String of(IBaseOperationOutcome outcome) {
    if (!(outcome instanceof OperationOutcome oo) || oo.getIssue().isEmpty()) {
      return null;
    }
    List<String> phrases = new ArrayList<>();
    for (OperationOutcomeIssueComponent issue : oo.getIssue()) {
      String severity = issue.getSeverity() == null ? "issue" : issue.getSeverity().toCode();
      String text = issue.getDetails() != null && issue.getDetails().hasText() ? issue.getDetails().getText()
          : issue.getDiagnostics();
      if (text == null || text.isBlank()) {
        text = issue.getCode() == null ? "no details given" : issue.getCode().getDisplay();
      }
      String where = issue.getExpression().isEmpty() ? "" : " (at " + issue.getExpression().get(0).getValue() + ")";
      phrases.add(severity + ": " + text.strip() + where);
    }
    return String.join("; ", phrases);
  }
}
