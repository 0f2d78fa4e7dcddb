package org.ketamineadvisor.advisor.screen;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.ketamineadvisor.advisor.fhir.server.FhirClientSettings;
import org.ketamineadvisor.advisor.fhir.server.FhirServerWriter;
import org.ketamineadvisor.advisor.fhir.server.WriteResult;
import org.ketamineadvisor.advisor.fhir.writing.CandidateGroupBundle;
import org.ketamineadvisor.advisor.fhir.writing.ScreeningSummary;
import org.ketamineadvisor.advisor.workspace.AppVersion;

/**
 * {@code screen --write-group}: the worklist as a Group and the counts as a MeasureReport, written to the server the
 * export came from in one transaction (both or neither; {@link CandidateGroupBundle}). Patients not assessed count
 * as not indicated, as on the summary page.
 */
public final class CandidateGroupWrite {

  /**
   * What a Backend Services token needs to write it, beside the export's read scopes: each entry is a conditional
   * create, which searches first, so read and search come with create (without them a server finds nothing and
   * refuses the second write of the same results as a duplicate).
   */
  public static final String SCOPES = "system/Group.crus system/MeasureReport.crus system/Provenance.crs";

  private final FhirContext fhir = FhirContext.forR4Cached();

  /**
   * Writes the screen's results and tells what happened: written, not written, or unknown (the answer was lost and
   * the server could not be checked).
   *
   * @param token the access token to write with; null to send none
   */
  public WriteResult write(ScreenSummary summary, String fhirBase, String token, Instant writtenAt) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Verdict verdict : Verdict.values()) {
      counts.put(verdict.code(), summary.verdicts().get(verdict));
    }
    counts.merge(Verdict.NOT_INDICATED.code(), summary.notIndicatedUnassessed(), Long::sum);
    ScreeningSummary written = new ScreeningSummary(summary.asOf(), summary.worklist(), counts, summary.patients(),
        AppVersion.version(), writtenAt);
    FhirClientSettings settings = FhirClientSettings.defaults().withBearerToken(token);
    return new FhirServerWriter(fhir, fhirBase, settings).write(CandidateGroupBundle.build(written));
  }
}
