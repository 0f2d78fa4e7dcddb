package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.fhir.OpenedPatient;
import org.ketamineadvisor.advisor.launch.SmartSession;

/**
 * One clinician's review of the launched patient, kept in the HTTP session: the record as read (so attesting or
 * changing the plan never reads the server again), the attestations with their author and time, the plan choices,
 * and the result of signing. Replaced when the patient is read again.
 */
final class PatientReview implements Serializable {

  private static final String ATTRIBUTE = PatientReview.class.getName();

  private final transient OpenedPatient opened;
  /** The launch this review belongs to: a new launch reads the record again (and finds what was written since). */
  private final String launch;
  private final List<Attestation> attestations = new ArrayList<>();
  private PlanRequest planRequest = PlanRequest.defaults();
  private SignOutcome signed;

  /** What signing gave: the written resources' ids, or the reason nothing was written. */
  record SignOutcome(List<String> writtenIds, String failure) implements Serializable {
    SignOutcome {
      writtenIds = List.copyOf(writtenIds);
    }

    boolean succeeded() {
      return failure == null;
    }
  }

  PatientReview(OpenedPatient opened, String launch) {
    this.opened = opened;
    this.launch = launch;
  }

  /** The review of the launched patient in this session, if this launch read it already. */
  static Optional<PatientReview> in(HttpSession session, SmartSession launched) {
    Object stored = session.getAttribute(ATTRIBUTE);
    if (stored instanceof PatientReview review && review.opened != null
        && review.opened.patientId().equals(launched.patientId())
        && review.opened.fhirBase().equals(launched.fhirBase().toString())
        && java.util.Objects.equals(review.launch, launched.correlationId())) {
      return Optional.of(review);
    }
    return Optional.empty();
  }

  void storeIn(HttpSession session) {
    session.setAttribute(ATTRIBUTE, this);
  }

  OpenedPatient opened() {
    return opened;
  }

  synchronized List<Attestation> attestations() {
    return List.copyOf(attestations);
  }

  /** Adds an attestation, replacing an earlier one of the same rule (the latest statement counts). */
  synchronized void attest(Attestation attestation) {
    attestations.removeIf(a -> a.rule() == attestation.rule());
    attestations.add(attestation);
    signed = null;
  }

  synchronized PlanRequest planRequest() {
    return planRequest;
  }

  synchronized void choosePlan(PlanRequest request) {
    planRequest = request;
    signed = null;
  }

  synchronized SignOutcome signed() {
    return signed;
  }

  synchronized void recordSigning(SignOutcome outcome) {
    signed = outcome;
  }
}
