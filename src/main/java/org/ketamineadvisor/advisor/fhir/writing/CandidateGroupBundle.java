package org.ketamineadvisor.advisor.fhir.writing;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.ASSESSMENT_CODE_SYSTEM;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.CANDIDATE_GROUP_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.RULE_SET_VERSION;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.SCREENING_MEASURE;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.SCREENING_REPORT_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.VERDICT_SYSTEM;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * The {@code screen --write-group} transaction: the worklist as a FHIR {@code Group} (the patients to act on, so
 * that an EHR or a Bulk Data {@code Group/[id]/$export} can use the list) and the counts per verdict as a
 * {@code MeasureReport}, with a Provenance naming the app, as the app's other writes have. One transaction, so the
 * server holds both or neither.
 *
 * <p>Each entry is a conditional create on a business identifier derived from the content (as-of day, rule set,
 * members, counts): the same screen written twice creates nothing new, which is what lets
 * {@code FhirServerWriter} retry it and look it up after a lost answer. A screen with other results (another day,
 * another member) is a new Group and a new report; earlier ones stay as they were.
 */
public final class CandidateGroupBundle {

  /** The code of the worklist's criterion and of the report's group: suitability for a ketamine infusion. */
  static final String SUITABILITY_CODE = RiskAssessmentMapper.SUITABILITY_CODE;
  static final String MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private CandidateGroupBundle() {}

  /** The transaction Bundle: Group, MeasureReport, Provenance (in that order), each a conditional create. */
  public static Bundle build(ScreeningSummary summary) {
    String key = contentKey(summary);
    Identifier groupId = new Identifier().setSystem(CANDIDATE_GROUP_IDENTIFIER).setValue(digest("group|" + key));
    Identifier reportId = new Identifier().setSystem(SCREENING_REPORT_IDENTIFIER).setValue(digest("report|" + key));
    String groupUrl = WriteBackBundleBuilder.fullUrl(groupId);
    String reportUrl = WriteBackBundleBuilder.fullUrl(reportId);

    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    add(bundle, groupUrl, group(summary, groupId), "identifier=" + WriteBackBundleBuilder.token(groupId));
    add(bundle, reportUrl, measureReport(summary, reportId), "identifier=" + WriteBackBundleBuilder.token(reportId));

    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(groupUrl)).addTarget(new Reference(reportUrl));
    provenance.setRecordedElement(References.utcInstant(summary.writtenAt()));
    provenance.setActivity(new CodeableConcept(new Coding(WriteBackBundleBuilder.DATA_OPERATION, "CREATE", "create")));
    provenance.addAgent().setType(new CodeableConcept(new Coding(WriteBackBundleBuilder.PARTICIPANT_TYPE,
            "assembler", "Assembler")))
        .setWho(new Reference().setDisplay(WriteBackBundleBuilder.appDisplay(summary.appVersion())));
    // R4 Provenance has no identifier: conditional on its target's, as the write-back's is
    add(bundle, "urn:uuid:" + UUID.nameUUIDFromBytes(("provenance|" + reportUrl).getBytes(StandardCharsets.UTF_8)),
        provenance, "Provenance?target:MeasureReport.identifier=" + WriteBackBundleBuilder.token(reportId));
    return bundle;
  }

  /** The Group's name, e.g. "Ketamine infusion candidates 2026-06-01". */
  public static String groupName(ScreeningSummary summary) {
    return "Ketamine infusion candidates " + summary.asOf();
  }

  static Group group(ScreeningSummary summary, Identifier identifier) {
    Group group = new Group();
    group.addIdentifier(identifier);
    group.setActive(true);
    group.setType(Group.GroupType.PERSON);
    group.setActual(true);
    group.setName(groupName(summary));
    group.setQuantity(summary.candidateIds().size());
    // what the members share, on which day and by which rules (characteristic.period: when it was tested)
    group.addCharacteristic()
        .setCode(new CodeableConcept(new Coding(ASSESSMENT_CODE_SYSTEM, SUITABILITY_CODE,
            RiskAssessmentMapper.SUITABILITY_DISPLAY)))
        .setValue(new CodeableConcept()
            .addCoding(new Coding(ASSESSMENT_CODE_SYSTEM, RiskAssessmentMapper.RULE_SET_CODE,
                RiskAssessmentMapper.RULE_SET_DISPLAY))
            .setText(candidateVerdicts() + " (rule set v" + RULE_SET_VERSION + ")"))
        .setExclude(false)
        .setPeriod(asOfDay(summary));
    for (String id : summary.candidateIds()) {
      group.addMember().setEntity(new Reference("Patient/" + id));
    }
    group.setText(Narratives.candidateGroup(group.getName(), summary.asOf(), summary.candidateIds().size(),
        candidateVerdicts()));
    return group;
  }

  static MeasureReport measureReport(ScreeningSummary summary, Identifier identifier) {
    MeasureReport report = new MeasureReport();
    report.addIdentifier(identifier);
    report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
    report.setType(MeasureReport.MeasureReportType.SUMMARY);
    report.setMeasure(SCREENING_MEASURE);
    report.setDateElement(References.utc(summary.writtenAt()));
    report.setPeriod(asOfDay(summary));
    MeasureReport.MeasureReportGroupComponent group = report.addGroup();
    group.setCode(new CodeableConcept(new Coding(ASSESSMENT_CODE_SYSTEM, SUITABILITY_CODE,
        RiskAssessmentMapper.SUITABILITY_DISPLAY)));
    group.addPopulation()
        .setCode(new CodeableConcept(new Coding(MEASURE_POPULATION, "initial-population", "Initial Population"))
            .setText("Patients screened"))
        .setCount(Math.toIntExact(summary.patientsScreened()));
    for (Verdict verdict : Verdict.values()) {
      group.addPopulation()
          .setCode(new CodeableConcept(new Coding(VERDICT_SYSTEM, verdict.code(), verdict.display()))
              .setText(verdict.display()))
          .setCount(Math.toIntExact(summary.count(verdict)));
    }
    report.setText(Narratives.screeningReport(summary.asOf(), summary.patientsScreened(),
        java.util.Arrays.stream(Verdict.values()).map(v -> v.display() + ": " + summary.count(v)).toList()));
    return report;
  }

  /** The as-of day, start and end, as dates (no time: the rules look at the day). */
  private static Period asOfDay(ScreeningSummary summary) {
    DateTimeType day = new DateTimeType(summary.asOf().toString());
    day.setPrecision(TemporalPrecisionEnum.DAY);
    day.setTimeZone(UTC);
    return new Period().setStartElement(day).setEndElement(day.copy());
  }

  private static String candidateVerdicts() {
    return Verdict.SUITABLE.display() + ", " + Verdict.SUITABLE_WITH_PRECAUTIONS.display().toLowerCase() + " or "
        + Verdict.NEEDS_INFORMATION.display().toLowerCase();
  }

  private static void add(Bundle bundle, String fullUrl, Resource resource, String ifNoneExist) {
    bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType()).setIfNoneExist(ifNoneExist);
  }

  /** Everything that makes two screens' results different; the same results give the same identifiers. */
  static String contentKey(ScreeningSummary s) {
    StringBuilder key = new StringBuilder();
    key.append(s.asOf()).append('|').append(Canonicals.RULE_SET).append(" v").append(RULE_SET_VERSION).append('|')
        .append(s.patientsScreened()).append('|');
    for (Verdict verdict : Verdict.values()) {
      key.append(verdict.code()).append('=').append(s.count(verdict)).append(',');
    }
    key.append('|').append(String.join(",", s.candidateIds()));
    return key.toString();
  }

  private static String digest(String s) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
