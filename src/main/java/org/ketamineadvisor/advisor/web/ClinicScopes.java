package org.ketamineadvisor.advisor.web;

import java.util.ArrayList;
import java.util.List;
import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;
import org.ketamineadvisor.advisor.launch.GrantedScopes;

/**
 * What the clinic's list may read with the launch's scopes: it reads across patients, so only {@code user/} (or
 * {@code system/}) scopes count. Without {@code user/CarePlan.rs} there is no list at all; without the others the
 * list is built but some of each row cannot be known — the page says which, never an incomplete list that looks whole.
 */
final class ClinicScopes {

  /** The types each row needs, with what is lost without each, in the clinician's words. */
  private static final List<String[]> NEEDED = List.of(
      new String[] {"Patient", "names and birth dates cannot be shown (each row shows the patient id) and no row's page can be opened"},
      new String[] {"Observation", "no infusion-day check (vital signs) and no follow-up score can be read"},
      new String[] {"MedicationAdministration", "the sessions given cannot be counted, so every course the list opens (today's sessions, follow-ups, standing) is shown as could not be read"},
      new String[] {"RiskAssessment", "the signed assessment (baseline pain score, contraindications) cannot be read"},
      new String[] {"Goal", "whether a follow-up is already recorded cannot be seen, so every course the list opens (today's sessions, follow-ups, standing) is shown as could not be read"},
      new String[] {"Condition", "the day check cannot re-run the rules for a new contraindication"},
      new String[] {"MedicationRequest", "the day check cannot re-run the rules for a new contraindication"},
      new String[] {"MedicationStatement", "the day check cannot re-run the rules for a new contraindication"},
      new String[] {"AllergyIntolerance", "the day check cannot re-run the rules for a new contraindication"});

  private ClinicScopes() {}

  /** Whether the list can be built at all: the active plans of every patient can be searched. */
  static boolean canList(GrantedScopes granted) {
    return granted.canSearchAcrossPatients("CarePlan");
  }

  /** Why there is no list: the one scope it starts from was not granted. */
  static String cannotList() {
    return "The EHR did not grant user/CarePlan.rs: the clinic's list cannot be built (it searches every patient's "
        + "active ketamine plan). Ask your integration team to add the clinic's user/ scopes to the app's "
        + "registration (docs/integration.md), or open each patient from their chart.";
  }

  /** Whether a row may be opened: the patient's record is read with the clinic's scopes. */
  static boolean canOpenRows(GrantedScopes granted) {
    return granted.canReadAcrossPatients("Patient");
  }

  /** What the list cannot know with these scopes, one sentence per missing scope; empty when nothing is missing. */
  static List<String> limitations(GrantedScopes granted) {
    List<String> missing = new ArrayList<>();
    for (String[] need : NEEDED) {
      boolean allowed = "Patient".equals(need[0]) ? granted.canReadAcrossPatients(need[0])
          : granted.canSearchAcrossPatients(need[0]);
      if (!allowed) {
        missing.add("The EHR did not grant user/" + need[0] + ".rs: " + need[1] + ".");
      }
    }
    return missing;
  }

  /** What of each chart the list searches: reading only (the clinic's list writes nothing). */
  static ChartAccess chartAccess(GrantedScopes granted) {
    return new ChartAccess(granted.canSearchAcrossPatients("CarePlan"),
        granted.canSearchAcrossPatients("RiskAssessment"), granted.canSearchAcrossPatients("Goal"),
        granted.canSearchAcrossPatients("MedicationAdministration"));
  }
}
