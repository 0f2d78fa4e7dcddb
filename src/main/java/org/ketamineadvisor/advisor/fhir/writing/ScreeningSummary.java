package org.ketamineadvisor.advisor.fhir.writing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ketamineadvisor.advisor.assessment.Verdict;

/**
 * What a population screen found, in plain values, for {@link CandidateGroupBundle}: who is on the worklist and how
 * many patients got each verdict. Built by the screen; this room knows nothing of how the screen works.
 *
 * @param asOf the day the patients were assessed for
 * @param candidateIds the worklist's patients (verdicts suitable, suitable-with-precautions, needs-information), as
 *     FHIR Patient ids ({@code 123} or {@code Patient/123}), in worklist order
 * @param countsByVerdict patients per verdict code ({@link Verdict#code()}, e.g. {@code not-indicated}); a verdict
 *     left out counts zero
 * @param patientsScreened every patient the screen looked at (the verdicts' counts sum to at most this: a patient
 *     whose record could not be read has no verdict)
 * @param appVersion the app's version, for the Provenance
 * @param writtenAt when the screen's results are written (MeasureReport.date, Provenance.recorded)
 */
public record ScreeningSummary(LocalDate asOf, List<String> candidateIds, Map<String, Long> countsByVerdict,
    long patientsScreened, String appVersion, Instant writtenAt) {

  public ScreeningSummary {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(appVersion, "appVersion");
    Objects.requireNonNull(writtenAt, "writtenAt");
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (String id : Objects.requireNonNull(candidateIds, "candidateIds")) {
      String bare = id == null ? "" : id.strip().replaceFirst("^Patient/", "");
      if (!bare.matches("[A-Za-z0-9\\-.]{1,64}")) {
        throw new IllegalArgumentException("candidate " + (candidateIds.indexOf(id) + 1) + " is not a FHIR "
            + "Patient id: '" + id + "'");
      }
      ids.add(bare);
    }
    candidateIds = List.copyOf(ids);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Verdict verdict : Verdict.values()) {
      counts.put(verdict.code(), 0L);
    }
    Objects.requireNonNull(countsByVerdict, "countsByVerdict").forEach((code, count) -> {
      if (!counts.containsKey(code)) {
        throw new IllegalArgumentException("unknown verdict '" + code + "' in the counts; the verdicts are "
            + counts.keySet());
      }
      if (count == null || count < 0) {
        throw new IllegalArgumentException("the count of '" + code + "' must be zero or more, not " + count);
      }
      counts.put(code, count);
    });
    countsByVerdict = Map.copyOf(counts);
    long counted = counts.values().stream().mapToLong(Long::longValue).sum();
    if (patientsScreened < counted) {
      throw new IllegalArgumentException(patientsScreened + " patients screened, but the verdicts count " + counted);
    }
  }

  /** Patients with {@code verdict} (zero when none). */
  public long count(Verdict verdict) {
    return countsByVerdict.get(verdict.code());
  }
}
