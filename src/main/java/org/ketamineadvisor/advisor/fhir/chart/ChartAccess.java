package org.ketamineadvisor.advisor.fhir.chart;

/**
 * Whether the granted scopes allow searching the app's own CarePlans and RiskAssessments, searching, creating and
 * updating Goals (written with the plan, § 8.3), and searching MedicationAdministrations (sessions given, § 8.1).
 */
public record ChartAccess(boolean carePlans, boolean riskAssessments, boolean goals, boolean administrations) {

  /** Nothing of the chart is looked up: the command line's assessment and CDS Hooks read the record only. */
  public static final ChartAccess NONE = new ChartAccess(false, false, false, false);

  public ChartAccess(boolean carePlans, boolean riskAssessments) {
    this(carePlans, riskAssessments, true, true);
  }
}
