package org.ketamineadvisor.advisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.assessment.Verdict;
import org.openjdk.jmh.infra.Blackhole;

/** Keeps the benchmark runnable: each benchmark method runs once and does its work. */
class AssessBenchmarkSmokeTest {

  @Test
  void everyBenchmarkRunsOnce() throws Exception {
    AssessBenchmark bench = new AssessBenchmark();
    bench.load();
    Blackhole sink = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    assertThat(bench.heavyRecordHapiParse().getEntry()).hasSizeGreaterThan(9_000);
    assertThat(bench.heavyRecordMapping().observations()).hasSizeGreaterThan(9_000);
    assertThat(bench.heavyRecordRuleEvaluation().verdict()).isEqualTo(Verdict.NEEDS_INFORMATION);
    bench.syntheaFolderHapiParse(sink);
    bench.syntheaFolderHapiParseAllCores(sink);
    bench.syntheaFolderAssess(sink);
  }
}
