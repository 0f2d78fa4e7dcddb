package org.ketamineadvisor.advisor.fhir.chart;

import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.CARE_PLAN_IDENTIFIER;
import static org.ketamineadvisor.advisor.fhir.writing.Canonicals.US_CORE_CAREPLAN_CATEGORY;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.ketamineadvisor.advisor.fhir.mapping.PatientBanner;
import org.ketamineadvisor.advisor.fhir.server.FhirConnections;
import org.ketamineadvisor.advisor.fhir.server.FhirServerConnection;
import org.ketamineadvisor.advisor.fhir.server.ReadFailure;

/**
 * Every patient with an active plan written by this app — the clinic's list and the site's day check start here:
 * {@code CarePlan?identifier=<the app's plan system>|&category=<US Core>|assess-plan&status=active
 * &_include=CarePlan:subject}, every {@code next} page followed. A search that fails or is refused throws: a list
 * cut short must never look complete.
 */
public final class ActiveCourses {

  static final int PAGE_SIZE = 100;

  private final FhirConnections connections;
  private final int pageSize;

  public ActiveCourses(FhirConnections connections) {
    this(connections, PAGE_SIZE);
  }

  /** With a page size of its own: a test follows several pages without writing hundreds of plans. */
  ActiveCourses(FhirConnections connections, int pageSize) {
    this.connections = connections;
    this.pageSize = pageSize;
  }

  /**
   * The active courses on {@code fhirBase}, one per patient, sorted by patient id.
   *
   * @throws ReadFailure when any page of the search could not be read (or was refused), with the reason
   */
  public List<ActiveCourse> find(String fhirBase, String accessToken) throws ReadFailure {
    return find(fhirBase, accessToken, true);
  }

  /**
   * As {@link #find(String, String)}; {@code withPatients} false leaves the Patients out of the search (no names,
   * no birth dates): a server refuses the whole bundle when the token may not read patients across patients.
   */
  public List<ActiveCourse> find(String fhirBase, String accessToken, boolean withPatients) throws ReadFailure {
    List<CarePlan> plans = new ArrayList<>();
    Map<String, Patient> patients = new HashMap<>();
    try (FhirServerConnection connection = connections.to(fhirBase, accessToken)) {
      Bundle page = connection.request(c -> {
        var search = c.search().forResource(CarePlan.class)
            .where(CarePlan.IDENTIFIER.hasSystemWithAnyCode(CARE_PLAN_IDENTIFIER))
            .and(CarePlan.CATEGORY.exactly().systemAndCode(US_CORE_CAREPLAN_CATEGORY, "assess-plan"))
            .and(CarePlan.STATUS.exactly().code("active"));
        return (withPatients ? search.include(CarePlan.INCLUDE_SUBJECT) : search)
            .count(pageSize).returnBundle(Bundle.class).execute();
      });
      collect(page, plans, patients);
      while (page.getLink(Bundle.LINK_NEXT) != null) {
        Bundle current = page;
        page = connection.request(c -> c.loadPage().next(current).execute());
        collect(page, plans, patients);
      }
    }
    Map<String, List<ExistingPlan>> byPatient = new TreeMap<>();
    for (CarePlan plan : plans) {
      IdType subject = new IdType(plan.getSubject().getReference());
      if (!"Patient".equals(subject.getResourceType()) || !subject.hasIdPart()) {
        continue; // this app writes its plans for a Patient; anything else is not a course it follows
      }
      byPatient.computeIfAbsent(subject.getIdPart(), k -> new ArrayList<>()).add(ChartResources.plan(plan));
    }
    List<ActiveCourse> courses = new ArrayList<>();
    byPatient.forEach((patientId, found) -> {
      found.sort(ChartResources.NEWEST_FIRST.thenComparing(ExistingPlan::id, Comparator.reverseOrder()));
      PatientBanner banner = PatientBanner.of(patients.get(patientId));
      String problem = found.size() == 1 ? null : found.size() + " active ketamine plans of this app for one "
          + "patient (only one may be active: " + String.join(", ", found.stream().map(ExistingPlan::id).toList())
          + "): resolve in the EHR; not checked";
      courses.add(new ActiveCourse(patientId, banner.name(), banner.birthDate(), found.get(0), found.size(),
          problem));
    });
    return List.copyOf(courses);
  }

  private static void collect(Bundle page, List<CarePlan> plans, Map<String, Patient> patients) {
    for (Bundle.BundleEntryComponent entry : page.getEntry()) {
      if (entry.getResource() instanceof CarePlan plan) {
        plans.add(plan);
      } else if (entry.getResource() instanceof Patient patient && patient.getIdElement().hasIdPart()) {
        patients.put(patient.getIdElement().getIdPart(), patient);
      }
    }
  }
}
