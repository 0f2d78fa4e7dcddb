package org.ketamineadvisor.advisor.screen;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ketamineadvisor.advisor.fhir.files.FhirFileCensus;
import org.ketamineadvisor.advisor.terminology.Code;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.ValueSetId;

/**
 * Decides, from the census, who is a candidate: a patient with at least one Condition coded in the value set behind
 * IND-NEUROPATHIC, asked of the very terminology the engine uses (site codes and ICD-10 dot handling included),
 * whatever the Condition's status or dates. That is conservative: the engine decides for candidates. Everyone else
 * cannot meet IND-NEUROPATHIC (the engine reads no other source for it) and is counted, not assessed.
 * Memory: the candidates' ids (few) and 8 bytes per patient. The Spark job keeps its census spread over its
 * executors, and asks {@link #isCandidateCondition} the same question.
 */
public final class CandidateCensus implements FhirFileCensus.Listener {

  private final Terminology terminology;
  private final PatientIdHashes patients = new PatientIdHashes();
  private final Set<String> candidates = new HashSet<>();
  private long candidatesWithPatient = -1;

  CandidateCensus(Terminology terminology) {
    this.terminology = terminology;
  }

  @Override
  public void patient(String patientId) {
    patients.add(patientId);
  }

  @Override
  public void condition(String patientId, List<Code> codings) {
    if (!candidates.contains(patientId) && isNeuropathicPain(codings)) {
      candidates.add(patientId);
    }
  }

  private boolean isNeuropathicPain(List<Code> codings) {
    return isCandidateCondition(terminology, codings);
  }

  /** Whether a Condition coded so (non-blank codings, as written) makes its patient a candidate. */
  public static boolean isCandidateCondition(Terminology terminology, List<Code> codings) {
    return WrittenCodes.inValueSet(terminology, ValueSetId.NEUROPATHIC_PAIN_INDICATIONS, codings);
  }

  /** Ends the census: patients counted, candidates without a Patient resource set apart. */
  void finish() {
    patients.finish();
    candidatesWithPatient = candidates.stream().filter(patients::contains).count();
  }

  /** Distinct Patient ids in the export. */
  long patients() {
    return patients.count();
  }

  /** Candidates that have a Patient resource, so will be assessed. */
  long candidatesWithPatient() {
    if (candidatesWithPatient < 0) {
      throw new IllegalStateException("the census is not over yet");
    }
    return candidatesWithPatient;
  }

  /**
   * Whose resources the second pass reads: the candidates, and resources whose patient has no Patient resource at
   * all, so that the reader names them exactly as {@code assess} does ("no input holds Patient/…"); they are few.
   */
  boolean toRead(String patientId) {
    return candidates.contains(patientId) || !patients.contains(patientId);
  }
}
