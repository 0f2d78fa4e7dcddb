package org.ketamineadvisor.sparkjob;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.ketamineadvisor.advisor.fhir.files.FhirFileCensus;
import org.ketamineadvisor.advisor.fhir.files.FhirFileReader;
import org.ketamineadvisor.advisor.fhir.files.PatientParser;
import org.ketamineadvisor.advisor.screen.PatientScreen;
import org.ketamineadvisor.advisor.terminology.Terminology;
import org.ketamineadvisor.advisor.terminology.ValueSetTerminology;

/**
 * The app's core as each executor JVM holds it, built once and shared by its tasks: HAPI's FhirContext (seconds to
 * build), the terminology with the site's codes, the census and the reader. What is not thread-safe (the HAPI parser,
 * the assessor) is made per task.
 */
final class ExecutorCore {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static volatile Loaded loaded;

  /** The terminology and readers for one set of local codes (the job's; a JVM running tests may see others). */
  private record Loaded(JobRequest.LocalCodesText codes, Terminology terminology, FhirFileCensus census,
      FhirFileReader reader) {
  }

  private ExecutorCore() {}

  private static Loaded load(JobRequest.LocalCodesText codes) {
    Loaded now = loaded;
    if (now != null && Objects.equals(now.codes(), codes)) {
      return now;
    }
    synchronized (ExecutorCore.class) {
      if (loaded == null || !Objects.equals(loaded.codes(), codes)) {
        Terminology terminology = codes == null ? ValueSetTerminology.loadDefault()
            : ValueSetTerminology.load(codes.parse());
        loaded = new Loaded(codes, terminology, new FhirFileCensus(FHIR), new FhirFileReader(FHIR));
      }
      return loaded;
    }
  }

  static Terminology terminology(JobRequest.LocalCodesText codes) {
    return load(codes).terminology();
  }

  static FhirFileCensus census(JobRequest.LocalCodesText codes) {
    return load(codes).census();
  }

  static FhirFileReader reader(JobRequest.LocalCodesText codes) {
    return load(codes).reader();
  }

  /** A parser for one task. */
  static PatientParser parser() {
    return new PatientParser(FHIR);
  }

  /** The screen's per-patient step for one task. */
  static PatientScreen screen(JobRequest.LocalCodesText codes, LocalDate asOf) {
    return new PatientScreen(terminology(codes), asOf, List.of());
  }
}
