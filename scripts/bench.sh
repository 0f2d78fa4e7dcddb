#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md (its targets, how to run them, and the results it quotes).
#   scripts/bench.sh            JMH (AssessBenchmark) + the memory run
#   scripts/bench.sh jmh        JMH only (extra arguments go to JMH, e.g. -f 1 -wi 2 -i 3)
#   scripts/bench.sh memory     the memory run only
#   scripts/bench.sh page       the clinician page after a launch (sandbox + app), p50/p90
#   scripts/bench.sh clinic     the clinic's list (GET /clinic) at 20 and 200 active courses (sandbox + app), p50/p95
#   scripts/bench.sh cds        CDS Hooks order-select with complete prefetch (sandbox + app), p50/p99
#   scripts/bench.sh screen     screen --input over a Bulk Data export of >= 1 million resources (a folder of Synthea
#                               bundles x COPIES, new ids per copy) vs HAPI's own parse of the same files, whole
#                               processes, -Xmx256m, alternating ROUNDS times; wall and CPU time, peak RSS.
#                               SYNTHEA=DIR takes the bundles from DIR (default src/test/resources/synthea, 15 patients
#                               of whom 7 have a neuropathic pain condition; a general population, e.g. the SMART Bulk
#                               Data server's 100 Synthea patients in its tarball's data/fhir, with COPIES=52)
#   scripts/bench.sh spark      the Spark job (spark-job/) over an export of the Synthea bundles x COPIES (new ids per
#                               copy, PARTS NDJSON files per type, as a server splits a large export), in each of
#                               SETUPS (default: local[1] local[2] workers=1 workers=2; workers=N is a standalone
#                               cluster of N one-core workers on this machine), then screen --input on the same files;
#                               wall time, records/s, the job's phases (spark-metrics.json), peak memory per executor
#                               (the event log's executor metrics). SYNTHEA=DIR as for screen.
#   scripts/bench.sh load       concurrent EHR launches through a balancer to 1 and 2 instances sharing Redis, at 20
#                               and 50 clinicians, with the EHR on this machine and with 100 ms per FHIR request
#                               (needs redis-server); launches/s, p50/p99, errors, CPU per launch
# Run on an otherwise idle machine; results land in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"; shift || true
mkdir -p target/bench

./mvnw -q -B package -DskipTests
# the app's own POM: from the top one the aggregator would write its (empty) classpath over the app's
./mvnw -q -B -f app.pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench/classpath.txt)"

if [ "$what" = all ] || [ "$what" = jmh ]; then
  java -cp "$CP" org.openjdk.jmh.Main AssessBenchmark -rf json -rff target/bench/jmh.json "$@" | tee target/bench/jmh.txt
fi

if [ "$what" = all ] || [ "$what" = memory ]; then
  copies="${COPIES:-60}"
  data=target/bench/export.ndjson
  java -cp "$CP" org.ketamineadvisor.advisor.bench.BenchData src/test/resources/synthea "$data" "$copies"
  patients=$((copies * 15))
  echo "memory run: $(du -h "$data" | cut -f1) NDJSON, $patients patients, java -Xmx256m" | tee target/bench/memory.txt
  /usr/bin/time -v java -Xmx256m -jar target/ketamine-advisor.jar assess --input "$data" --as-of 2025-01-01 \
      > target/bench/export.out 2> target/bench/time.txt || true
  grep -E "Elapsed|Maximum resident" target/bench/time.txt | tee -a target/bench/memory.txt
  echo "lines out: $(wc -l < target/bench/export.out)" | tee -a target/bench/memory.txt
fi

if [ "$what" = cds ]; then
  java -cp "$CP" org.ketamineadvisor.advisor.bench.CdsHookBench "${CALLS:-400}" | tee target/bench/cds.txt
fi

if [ "$what" = page ]; then
  java -cp "$CP" org.ketamineadvisor.advisor.bench.PageRenderBench "${ROUNDS:-30}" | tee target/bench/page.txt
fi

if [ "$what" = clinic ]; then
  java -cp "$CP" org.ketamineadvisor.advisor.bench.ClinicListBench ${COURSES:-20 200} | tee target/bench/clinic.txt
fi

if [ "$what" = screen ]; then
  copies="${COPIES:-135}"
  data=target/bench/bulk-export
  rm -rf "$data" target/bench/screen-out
  java -cp "$CP" org.ketamineadvisor.advisor.bench.BulkExportData "${SYNTHEA:-src/test/resources/synthea}" "$data" "$copies" \
      | tee target/bench/screen.txt
  patients=$(wc -l < "$data/Patient.ndjson")
  echo "export: $(du -sh "$data" | cut -f1) NDJSON in $(ls "$data" | wc -l) files, $patients patients" \
      | tee -a target/bench/screen.txt
  for round in $(seq 1 "${ROUNDS:-2}"); do
    /usr/bin/time -v java -Xmx256m -jar target/ketamine-advisor.jar screen --input "$data" \
        --out target/bench/screen-out --as-of 2025-01-01 > /dev/null 2> target/bench/screen-time.txt || true
    seconds=$(grep "Elapsed" target/bench/screen-time.txt | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' target/bench/screen-time.txt)
    echo "round $round screen: $seconds wall, $cpu s CPU, $(grep 'Maximum resident' target/bench/screen-time.txt | awk '{print $NF}') KB" \
        "peak RSS, $(wc -l < target/bench/screen-out/screen.ndjson) candidates assessed" | tee -a target/bench/screen.txt
    /usr/bin/time -v java -Xmx256m -cp "$CP" org.ketamineadvisor.advisor.bench.HapiParseBench "$data" \
        > target/bench/parse.out 2> target/bench/parse-time.txt || true
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' target/bench/parse-time.txt)
    echo "round $round HAPI parse: $(grep 'Elapsed' target/bench/parse-time.txt | awk '{print $NF}') wall, $cpu s CPU," \
        "$(grep 'Maximum resident' target/bench/parse-time.txt | awk '{print $NF}') KB peak RSS; $(cat target/bench/parse.out)" \
        | tee -a target/bench/screen.txt
  done
fi

if [ "$what" = spark ]; then
  # the job jar, a SPARK_HOME of Spark's jars only (target/spark-home), and the job's test classpath (the launcher)
  ./mvnw -q -B -pl spark-job -am package dependency:copy-dependencies@spark-home dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/spark-classpath.txt
  SPARK_CP="spark-job/target/test-classes:spark-job/target/classes:$(cat spark-job/target/bench/spark-classpath.txt)"
  SPARK_OPTS=$(sed -n '/<spark.java.options>/,/<\/spark.java.options>/p' spark-job/pom.xml | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
  copies="${COPIES:-20}"
  data=target/bench/spark-export
  rm -rf "$data" target/bench/spark-runs target/bench/spark-screen-out
  java -cp "$SPARK_CP" org.ketamineadvisor.sparkjob.SparkBench export "${SYNTHEA:-src/test/resources/synthea}" "$data" \
      "$copies" "${PARTS:-8}" | tee target/bench/spark.txt
  echo "export: $(du -sh "$data" | cut -f1) NDJSON in $(ls "$data" | wc -l) files; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" \
      | tee -a target/bench/spark.txt
  read -ra setups <<< "${SETUPS:-local[1] local[2] workers=1 workers=2}"
  # shellcheck disable=SC2086
  java -Xmx512m $SPARK_OPTS -Dspark.bench.javaOptions="$SPARK_OPTS" -cp "$SPARK_CP" \
      org.ketamineadvisor.sparkjob.SparkBench spark-job/target/spark-home spark-job/target/ketamine-screen-spark.jar \
      "$data" target/bench/spark-runs 2025-01-01 "${setups[@]}" | tee -a target/bench/spark.txt
  /usr/bin/time -v java -Xmx256m -jar target/ketamine-advisor.jar screen --input "$data" \
      --out target/bench/spark-screen-out --as-of 2025-01-01 > /dev/null 2> target/bench/spark-screen-time.txt || true
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' target/bench/spark-screen-time.txt)
  echo "screen --input (the app, -Xmx256m): $(grep 'Elapsed' target/bench/spark-screen-time.txt | awk '{print $NF}') wall," \
      "$cpu s CPU, $(grep 'Maximum resident' target/bench/spark-screen-time.txt | awk '{print $NF}') KB peak RSS" \
      | tee -a target/bench/spark.txt
  for run in target/bench/spark-runs/*/out; do
    echo "$(basename "$(dirname "$run")"): the same screen.ndjson as screen's: $(cmp -s target/bench/spark-screen-out/screen.ndjson \
        "$run/screen.ndjson" && echo yes || echo NO)" | tee -a target/bench/spark.txt
  done
fi

if [ "$what" = load ]; then
  : > target/bench/load.txt
  for latency in 0 100; do for instances in 1 2; do for clinicians in 20 50; do
    each=$(( clinicians == 20 ? 10 : 4 ))
    java -Xmx6g -cp "$CP" org.ketamineadvisor.advisor.bench.LoadBench "$instances" "$clinicians" "$each" "$latency" \
        2>&1 | grep -E "instance\(s\)|^error|by step|CPU per launch" | tee -a target/bench/load.txt
  done; done; done
fi
