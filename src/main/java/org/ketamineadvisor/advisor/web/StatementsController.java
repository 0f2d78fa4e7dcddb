package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpSession;
import java.util.Map;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.launch.SmartSession;
import org.ketamineadvisor.advisor.workspace.AssessmentMoment;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What the clinician states to settle an open question: an attestation (CLINICAL-RULES § 2.4) or a value measured.
 * Both are kept in the session's review and written to the chart only when the assessment is signed.
 */
@Controller
class StatementsController {

  private final AssessmentMoment moment;

  StatementsController(AssessmentMoment moment) {
    this.moment = moment;
  }

  @PostMapping("/patient/attest")
  String attest(@RequestParam("rule") String ruleId, @RequestParam(name = "outcome", required = false) String outcome,
      @RequestParam(name = "reason", required = false) String reason, HttpSession httpSession,
      RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    Optional<PatientReview> review = launched.flatMap(s -> PatientReview.in(httpSession, s));
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    AttestationForm form = AttestationForm.parse(ruleId, ruleById(ruleId), outcome, reason);
    if (!form.problems().isEmpty()) {
      flash.addFlashAttribute("attestRule", ruleId);
      flash.addFlashAttribute("attestProblems", form.problems());
      flash.addFlashAttribute("attestReason", reason);
      return "redirect:/patient#unknowns";
    }
    SmartSession session = launched.get();
    String author = review.get().clinicianName() != null ? review.get().clinicianName()
        : session.fhirUser() != null ? session.fhirUser().toString() : "the signed-in clinician";
    review.get().attest(new Attestation(form.rule(), form.outcome(), author, form.reason(), moment.instant()));
    flash.addFlashAttribute("notice", "Your statement on \"" + form.rule().title() + "\" is recorded; the verdict was "
        + "recomputed.");
    return "redirect:/patient#verdict";
  }

  /** A value the clinician entered to settle a data rule (CLINICAL-RULES § 2.4 by value); every rule reads it. */
  @PostMapping("/patient/enter")
  String enter(@RequestParam("rule") String ruleId, @RequestParam Map<String, String> form,
      HttpSession httpSession, Authentication user, RedirectAttributes flash) {
    Optional<SmartSession> launched = SmartSession.in(httpSession);
    Optional<PatientReview> review = launched.flatMap(s -> PatientReview.in(httpSession, s));
    if (review.isEmpty()) {
      return "redirect:/patient";
    }
    SmartSession session = launched.get();
    String author = session.fhirUser() != null ? session.fhirUser().toString() : "the signed-in clinician";
    String name = review.get().clinicianName() != null ? review.get().clinicianName()
        : LaunchedPatients.clinicianName(user, author);
    EnteredValueForm parsed = EnteredValueForm.parse(ruleById(ruleId), form, review.get().opened().asOf(),
        moment.instant(), author, name);
    if (!parsed.problems().isEmpty()) {
      flash.addFlashAttribute("attestRule", ruleId);
      flash.addFlashAttribute("attestProblems", parsed.problems());
      flash.addFlashAttribute("entryForm", form);
      return "redirect:/patient#unknowns";
    }
    review.get().enter(parsed.value());
    flash.addFlashAttribute("notice", "The value you entered (" + parsed.value().describe() + ") is recorded; every "
        + "rule read it and the verdict was recomputed. It is written to the chart when you sign.");
    return "redirect:/patient#verdict";
  }

  /** The rule a form names, or null when it names none (an old page, a hand-made post). */
  private static RuleId ruleById(String id) {
    try {
      return RuleId.fromId(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
