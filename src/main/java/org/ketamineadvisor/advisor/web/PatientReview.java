package org.ketamineadvisor.advisor.web;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ketamineadvisor.advisor.assessment.Attestation;
import org.ketamineadvisor.advisor.careplan.PlanRequest;
import org.ketamineadvisor.advisor.assessment.EnteredValue;
import org.ketamineadvisor.advisor.fhir.chart.ChartState;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
import org.ketamineadvisor.advisor.workspace.OpenedPatient;
import org.ketamineadvisor.advisor.launch.SmartSession;

/**
 * One clinician's review of the launched patient, kept in the HTTP session: the record as read (so attesting or
 * changing the plan never reads the server again), the attestations with their author and time, the plan choices,
 * and the result of signing. Replaced when the patient is read again.
 */
final class PatientReview implements Serializable {

  /** Bump when the stored form changes incompatibly: a rolling upgrade then re-reads instead of failing. */
  private static final long serialVersionUID = 1L;
  private static final String ATTRIBUTE = PatientReview.class.getName();

  /**
   * The record as read: not stored with the session (it holds parsed FHIR resources). An instance that gets the
   * session without it (another instance, after a restart) reads the record again and keeps everything else:
   * the clinician's statements, entered values, plan choices, revision and signing result.
   */
  private transient OpenedPatient opened;
  private final String patientId;
  private final String fhirBase;
  /** The launch this review belongs to: a new launch reads the record again (and finds what was written since). */
  private final String launch;
  private final List<Attestation> attestations = new ArrayList<>();
  private final List<EnteredValue> entered = new ArrayList<>();
  private PlanRequest planRequest = PlanRequest.defaults();
  private SignOutcome signed;
  /** The signed plan being revised (the version the clinician saw); null when not revising. */
  private ExistingPlan revising;
  private boolean editing;
  /** The signed-in clinician's name (from their fhirUser resource or the id_token), for the page and the chart. */
  private String clinicianName;

  /**
   * What signing gave: the written resources' ids, or the reason nothing was written; {@code uncertain} when the
   * server's answer left it open whether the write happened (the clinician must check the chart).
   */
  record SignOutcome(List<String> writtenIds, String failure, boolean uncertain) implements Serializable {
    SignOutcome {
      writtenIds = List.copyOf(writtenIds);
    }

    public boolean succeeded() {
      return failure == null;
    }
  }

  PatientReview(OpenedPatient opened, String launch) {
    this.opened = opened;
    this.launch = launch;
    this.patientId = opened.patientId();
    this.fhirBase = opened.fhirBase();
  }

  /** This review's record, read again on an instance that received the session without it. */
  synchronized void reopened(OpenedPatient record) {
    if (!record.patientId().equals(patientId) || !record.fhirBase().equals(fhirBase)) {
      throw new IllegalArgumentException("the record read again is not this review's patient");
    }
    this.opened = record;
  }

  synchronized boolean needsRecord() {
    return opened == null;
  }

  /** The review of the launched patient in this session, with its record, if this launch read it already. */
  static Optional<PatientReview> in(HttpSession session, SmartSession launched) {
    return stored(session, launched).filter(r -> !r.needsRecord());
  }

  /** The stored review of this launch, with or without its record (see {@link #needsRecord()}). */
  static Optional<PatientReview> stored(HttpSession session, SmartSession launched) {
    Object stored = session.getAttribute(ATTRIBUTE);
    if (stored instanceof PatientReview review
        && review.patientId.equals(launched.patientId())
        && review.fhirBase.equals(launched.fhirBase().toString())
        && java.util.Objects.equals(review.launch, launched.correlationId())) {
      return Optional.of(review);
    }
    return Optional.empty();
  }

  /** The result of the last follow-up confirmation in this launch (null when none). */
  private SignOutcome followUp;

  synchronized SignOutcome followUp() {
    return followUp;
  }

  synchronized void followUp(SignOutcome outcome) {
    this.followUp = outcome;
  }

  synchronized String clinicianName() {
    return clinicianName;
  }

  synchronized void clinicianName(String name) {
    this.clinicianName = name;
  }

  /** Drops the session's review: another patient is opened from the clinic's list. */
  static void removeFrom(HttpSession session) {
    session.removeAttribute(ATTRIBUTE);
  }

  void storeIn(HttpSession session) {
    session.setAttribute(ATTRIBUTE, this);
  }

  synchronized OpenedPatient opened() {
    return opened;
  }

  /** After signing: the chart as the server now holds it. */
  synchronized void chartFound(ChartState chart) {
    opened = opened.withChart(chart);
  }

  synchronized List<EnteredValue> entered() {
    return List.copyOf(entered);
  }

  /** Adds a value the clinician entered, replacing an earlier one for the same rule (the latest entry counts). */
  synchronized void enter(EnteredValue value) {
    entered.removeIf(v -> v.rule() == value.rule());
    entered.add(value);
    signed = null;
  }

  synchronized ExistingPlan revising() {
    return revising;
  }

  /**
   * Starts revising what is signed in the chart: {@code plan} is the plan in force to be replaced (null when only a
   * decision was signed, which a new signed assessment then follows).
   */
  synchronized void revise(ExistingPlan plan) {
    revising = plan;
    editing = true;
    signed = null;
  }

  synchronized void endRevision() {
    revising = null;
    editing = false;
  }

  /** Whether the clinician is changing a signed assessment (revising), rather than viewing it. */
  synchronized boolean editing() {
    return editing;
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
