package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.BASE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.ValueSet;
import org.ketamineadvisor.advisor.assessment.Outcome;
import org.ketamineadvisor.advisor.assessment.Risk;
import org.ketamineadvisor.advisor.assessment.RuleId;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.careplan.ProtocolId;
import org.ketamineadvisor.advisor.cds.OverrideReason;

/**
 * The app's own CodeSystems and their all-codes ValueSets, derived from the enums that define the
 * codes. fhir-profiles/ holds them as JSON (regenerated with -Dgolden.update=true); the test compares both.
 */
final class OwnTerminology {
  /** id → (code → {display, definition}). */
  static Map<String, Map<String, String[]>> codeSystems() {
    Map<String, Map<String, String[]>> all = new LinkedHashMap<>();
    Map<String, String[]> verdicts = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) {
      verdicts.put(v.code(), new String[] {v.display(), "Verdict " + v.code() + " (CLINICAL-RULES § 3)."});
    }
    all.put("ketamine-verdict", verdicts);
    Map<String, String[]> rules = new LinkedHashMap<>();
    for (RuleId r : RuleId.values()) {
      rules.put(r.id(), new String[] {r.title(), r.category().name().toLowerCase() + " rule; source: " + r.source()
          + (r.mitigation() == null ? "" : "; mitigation: " + r.mitigation())});
    }
    all.put("ketamine-rule", rules);
    Map<String, String[]> outcomes = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      outcomes.put(o.code(), new String[] {RiskAssessmentMapper.outcomeDisplay(o), "The rule's outcome is " + o.code() + "."});
    }
    all.put("ketamine-rule-outcome", outcomes);
    Map<String, String[]> protocols = new LinkedHashMap<>();
    for (ProtocolId p : ProtocolId.values()) {
      protocols.put(p.id(), new String[] {p.display(), p.display() + ". Source: " + p.source() + "."});
    }
    all.put("ketamine-protocol", protocols);
    Map<String, String[]> risks = new LinkedHashMap<>();
    for (Risk r : Risk.values()) {
      risks.put(r.code(), new String[] {r.display(), r.display() + " risk of an IV ketamine course (CLINICAL-RULES § 4)."});
    }
    all.put("ketamine-risk", risks);
    Map<String, String[]> assessment = new LinkedHashMap<>();
    assessment.put(RiskAssessmentMapper.SUITABILITY_CODE, new String[] {RiskAssessmentMapper.SUITABILITY_DISPLAY,
        "An assessment of whether a course of IV ketamine for neuropathic pain is suitable for the patient."});
    assessment.put(RiskAssessmentMapper.RULE_SET_CODE, new String[] {RiskAssessmentMapper.RULE_SET_DISPLAY,
        "The rules of CLINICAL-RULES.md, version " + Canonicals.RULE_SET_VERSION + "."});
    all.put("ketamine-assessment-code", assessment);
    Map<String, String[]> activities = new LinkedHashMap<>();
    activity(activities, "pre-infusion-vitals", "Pre-infusion vital signs", "Blood pressure, heart rate and SpO2 before each session.");
    activity(activities, "pregnancy-test", "Pregnancy test", "Before the first session, for female patients aged 18-55.");
    activity(activities, "baseline-ecg", "Baseline ECG", "Before the first session, when the cardiovascular risk is moderate or high.");
    activity(activities, "liver-tests-before", "Liver tests before the course", "ALT and AST before the first session, when the hepatotoxicity risk is moderate or high.");
    activity(activities, "liver-tests-after", "Liver tests after the course", "ALT and AST after the last session, when the hepatotoxicity risk is moderate or high.");
    activity(activities, "continuous-spo2-hr", "Continuous SpO2 and heart rate", "Continuous SpO2 and heart-rate monitoring during each infusion.");
    activity(activities, "bp-every-15-min", "Blood pressure every 15 minutes", "Blood pressure every 15 minutes during each infusion.");
    activity(activities, "post-infusion-observation", "Post-infusion observation", "At least 60 minutes of observation after each session.");
    activity(activities, "pain-follow-up", "Pain score follow-up", "Pain score 1, 4 and 12 weeks after the last session; response is a reduction of at least 30 % from baseline (IMMPACT).");
    activity(activities, "continuous-ecg", "Continuous ECG", "Continuous ECG during each infusion (PR-CARDIOVASCULAR).");
    activity(activities, "capnography", "Capnography", "End-tidal CO2 monitoring during each infusion when an opioid and a benzodiazepine are both current.");
    activity(activities, "psychiatric-review", "Psychiatric review", "A psychiatric review before the first session (PR-BIPOLAR).");
    activity(activities, "emergence-watch", "Watch for emergence reactions", "Watching for hallucinations, agitation and dissociation during and after each session (PR-BIPOLAR, PR-SUBSTANCE-HISTORY).");
    activity(activities, "bp-after-infusion", "Blood pressure after the infusion", "Blood pressure after each infusion, before discharge (PR-HYPERTENSION).");
    activity(activities, "no-take-home", "No take-home ketamine", "Universal precautions: ketamine is given in the clinic only (PR-SUBSTANCE-HISTORY).");
    activity(activities, "dose-caution", "Lower dose, extreme caution", "Consider a lower dose; extreme caution with raised intraocular or intracranial pressure (PR-ELEVATED-IOP, PR-INTRACRANIAL).");
    activity(activities, "precaution-mitigation", "Precaution mitigation", "The mitigation of a met precaution or interaction (the rules are the activity's reason codes); written by plans before the 2026-12 release, which now write each mitigation as its own clinical action.");
    all.put("ketamine-plan-activity", activities);
    Map<String, String[]> overrides = new LinkedHashMap<>();
    for (OverrideReason r : OverrideReason.values()) {
      overrides.put(r.code(), new String[] {r.display(), r.definition()});
    }
    all.put("ketamine-cds-override", overrides);
    return all;
  }

  private static void activity(Map<String, String[]> m, String code, String display, String definition) {
    m.put(code, new String[] {display, definition});
  }

  private static final Map<String, String> TITLES = Map.of(
      "ketamine-verdict", "Ketamine suitability verdicts",
      "ketamine-rule", "Ketamine suitability rules",
      "ketamine-rule-outcome", "Ketamine rule outcomes",
      "ketamine-protocol", "Ketamine infusion protocols",
      "ketamine-risk", "Ketamine infusion risks",
      "ketamine-assessment-code", "Ketamine assessment codes",
      "ketamine-plan-activity", "Ketamine care plan activities",
      "ketamine-cds-override", "Ketamine CDS override reasons");

  static List<CodeSystem> codeSystemResources() {
    List<CodeSystem> out = new ArrayList<>();
    codeSystems().forEach((id, codes) -> {
      CodeSystem cs = new CodeSystem();
      cs.setId(id);
      cs.setUrl(BASE + "/CodeSystem/" + id);
      cs.setVersion("1.0.0");
      cs.setName(pascal(id));
      cs.setTitle(TITLES.get(id));
      cs.setStatus(PublicationStatus.ACTIVE);
      cs.setDateElement(new DateTimeType("2026-06-01"));
      cs.setPublisher("Ketamine Infusion Advisor");
      cs.setDescription(TITLES.get(id) + " of the Ketamine Infusion Advisor, rule set v" + Canonicals.RULE_SET_VERSION + ".");
      cs.setCaseSensitive(true);
      cs.setValueSet(BASE + "/ValueSet/" + id);
      cs.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
      cs.setCount(codes.size());
      codes.forEach((code, text) -> cs.addConcept().setCode(code).setDisplay(text[0]).setDefinition(text[1]));
      out.add(cs);
    });
    return out;
  }

  static List<ValueSet> valueSetResources() {
    List<ValueSet> out = new ArrayList<>();
    for (String id : codeSystems().keySet()) {
      ValueSet vs = new ValueSet();
      vs.setId(id);
      vs.setUrl(BASE + "/ValueSet/" + id);
      vs.setVersion("1.0.0");
      vs.setName(pascal(id));
      vs.setTitle(TITLES.get(id));
      vs.setStatus(PublicationStatus.ACTIVE);
      vs.setDateElement(new DateTimeType("2026-06-01"));
      vs.setPublisher("Ketamine Infusion Advisor");
      vs.setDescription("All codes of the CodeSystem " + id + ".");
      vs.getCompose().addInclude().setSystem(BASE + "/CodeSystem/" + id);
      out.add(vs);
    }
    return out;
  }

  private static String pascal(String id) {
    StringBuilder sb = new StringBuilder();
    for (String part : id.split("-")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }
}
