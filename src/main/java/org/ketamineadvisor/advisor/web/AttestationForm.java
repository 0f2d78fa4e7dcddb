package org.ketamineadvisor.advisor.web;

import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.RuleId;

/**
 * The form that settles a question by the clinician's statement (an attestation), validated: the rule, the answer
 * and the reason, or what to correct. Data rules are not attested: they are settled by entering the value measured.
 */
record AttestationForm(RuleId rule, Outcome outcome, String reason, List<String> problems) {

  static final int MAX_REASON = 500;

  AttestationForm {
    problems = List.copyOf(problems);
    if (problems.isEmpty() && (rule == null || outcome == null || reason == null)) {
      throw new IllegalArgumentException("a valid attestation names the rule, the answer and the reason");
    }
  }

  /** {@code rule} is the rule {@code ruleId} names, null when it names none. */
  static AttestationForm parse(String ruleId, RuleId rule, String outcome, String reason) {
    List<String> problems = new ArrayList<>();
    if (rule == null) {
      problems.add("Unknown rule '" + ruleId + "': reload the page and try again.");
    } else if (rule.category() == RuleId.Category.DATA) {
      problems.add("\"" + rule.title() + "\" is settled by entering the value measured, with its date and time.");
    }
    Outcome settled = null;
    if (outcome == null || outcome.isBlank()) {
      problems.add("Choose what you attest.");
    } else {
      try {
        settled = Outcome.fromCode(outcome);
        if (settled == Outcome.UNKNOWN) {
          problems.add("An attestation settles the question: choose one of the answers.");
        }
      } catch (IllegalArgumentException e) {
        problems.add("Choose one of the answers offered.");
      }
    }
    if (reason == null || reason.isBlank()) {
      problems.add("Give the reason for your attestation (for example where the information comes from).");
    } else if (reason.length() > MAX_REASON) {
      problems.add("Keep the reason under " + MAX_REASON + " characters.");
    }
    return problems.isEmpty() ? new AttestationForm(rule, settled, reason.strip(), List.of())
        : new AttestationForm(null, null, null, problems);
  }
}
