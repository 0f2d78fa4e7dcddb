#!/usr/bin/env bash
# Regenerates the Synthea test patients in src/test/resources/synthea/ (and, with --heavy, one large record).
#
# Reproducible: Synthea 3.3.0 from Maven Central, fixed seeds, fixed reference AND end date.
#   Synthea's end date defaults to "now"; it is pinned to the reference date so that a rerun on another
#   day produces the same records. The records therefore end on 2025-01-01: assess them with
#   --as-of 2025-01-01 (the 30/90-day windows of docs/clinical-rules.md are measured back from that date).
#
#   version     org.mitre.synthea:synthea:3.3.0 (own classpath under target/synthea/lib: it pins HAPI 6)
#   dates       -r 20250101 -e 20250101
#   state       Massachusetts
#   export      FHIR R4 only, 10 years of history, no Claim/ExplanationOfBenefit (the app never reads
#               them and they are half of every file). Collection bundles, not transaction bundles:
#               Synthea's transaction bundles point at organisations, locations and practitioners with
#               conditional references ("Practitioner?identifier=…") that only resolve once its separate
#               hospital/practitioner bundles are loaded; a collection bundle carries them inside, so
#               every reference is a urn:uuid that resolves within the file.
#   threads     1 (generate.thread_pool_size=1, -Xmx2g): the build machine is shared
#   batches     (seed = clinician seed; -p counts kept, living patients)
#     neuropathy    seed 1001  -p 6  -a 40-85  keep: active diabetic neuropathy (SNOMED 368581000119106)
#     opioid        seed 1002  -p 4  -a 25-80  keep: active opioid prescription (Synthea's opioid products)
#     hypertension  seed 1003  -p 4  -a 30-80  keep: active essential hypertension (SNOMED 59621000)
#     adult         seed 1004  -p 2  -a 18-90  no keep module (ordinary adults)
#     heavy         seed 1005  -p 1  -a 60-85  keep: end-stage renal disease, whole history, Claims kept
#                   (only with --heavy, into target/synthea-heavy/: too big to commit)
#   Any regular bundle over 10 MB (a dialysis patient) moves to src/test/resources/synthea-heavy/ as the
#   benchmark record (if under 40 MB, else it stays in target/synthea/).
#   Keep modules: scripts/synthea-keep/*.json (GMF "keep patients" modules: terminal state Keep).
#
# Usage: scripts/generate-synthea.sh            the regular set -> src/test/resources/synthea/
#        scripts/generate-synthea.sh --heavy    also a whole-history ESRD record -> target/synthea-heavy/
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/synthea
LIB=$WORK/lib
KEEP=$ROOT/scripts/synthea-keep
DEST=$ROOT/src/test/resources/synthea
HEAVY_DEST=$ROOT/target/synthea-heavy
REF_DATE=20250101
VERSION=3.3.0

with_heavy=false
[[ "${1:-}" == "--heavy" ]] && with_heavy=true

fetch_synthea() {
  if [[ -f "$LIB/synthea-$VERSION.jar" ]]; then return; fi
  mkdir -p "$WORK"
  # A throw-away pom: Synthea needs its own classpath (HAPI 6), never the app's.
  cat > "$WORK/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.throwaway</groupId><artifactId>synthea-runner</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.mitre.synthea</groupId><artifactId>synthea</artifactId><version>$VERSION</version></dependency>
  </dependencies>
</project>
EOF
  "$ROOT/mvnw" -q -B -f "$WORK/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB"
}

# run NAME SEED COUNT AGES KEEP_MODULE|- [extra synthea options...]
run() {
  local name=$1 seed=$2 count=$3 ages=$4 keep=$5; shift 5
  local out=$WORK/out-$name
  rm -rf "$out"
  local keep_args=()
  [[ "$keep" != "-" ]] && keep_args=(-k "$KEEP/$keep")
  echo "synthea: $name (seed $seed, $count patients, ages $ages, keep ${keep})" >&2
  (cd "$WORK" && java -Xmx2g -cp "$LIB/*" App \
    -s "$seed" -cs "$seed" -r "$REF_DATE" -e "$REF_DATE" -p "$count" -a "$ages" "${keep_args[@]}" \
    --generate.thread_pool_size=1 \
    --generate.only_alive_patients=true \
    --exporter.baseDirectory="$out/" \
    --exporter.fhir.export=true \
    --exporter.fhir.transaction_bundle=false \
    --exporter.hospital.fhir.export=false \
    --exporter.practitioner.fhir.export=false \
    --exporter.groups.fhir.export=false \
    --exporter.metadata.export=false \
    --exporter.ccda.export=false \
    --exporter.csv.export=false \
    --exporter.text.export=false \
    --exporter.clinical_note.export=false \
    "$@" \
    Massachusetts > "$WORK/$name.log")
}

# copy NAME DIR: the patient bundles, prefixed with the batch name so the story is visible in the file name
copy_bundles() {
  local name=$1 dir=$2
  mkdir -p "$dir"
  for f in "$WORK/out-$name"/fhir/*.json; do
    # ASCII file names (Synthea writes e.g. "José"): some checkouts mangle non-ASCII paths
    cp "$f" "$dir/$name-$(basename "$f" | iconv -f utf-8 -t ascii//TRANSLIT)"
  done
}

fetch_synthea
common=(--exporter.years_of_history=10 --exporter.fhir.excluded_resources=Claim,ExplanationOfBenefit)
run neuropathy   1001 6 40-85 keep-diabetic-neuropathy.json "${common[@]}"
run opioid       1002 4 25-80 keep-opioid.json              "${common[@]}"
run hypertension 1003 4 30-80 keep-hypertension.json        "${common[@]}"
run adult        1004 2 18-90 -                             "${common[@]}"

find "$DEST" -maxdepth 1 -name '*.json' -delete 2>/dev/null || true
for b in neuropathy opioid hypertension adult; do copy_bundles "$b" "$DEST"; done
# A dialysis patient's record runs to thousands of observations (seed 1001 yields one of ~27 MB, 9,000+
# Observations): it is the benchmark record, kept apart so that ordinary tests stay fast and small.
mkdir -p "$DEST-heavy"
find "$DEST-heavy" -maxdepth 1 -name '*.json' -delete
find "$DEST" -maxdepth 1 -name '*.json' -size +10M -exec mv {} "$DEST-heavy/" \;
find "$DEST-heavy" -maxdepth 1 -name '*.json' -size +40M -exec mv {} "$WORK/" \;
du -sh "$DEST" >&2
ls -l "$DEST-heavy" >&2

if $with_heavy; then
  run heavy 1005 1 60-85 keep-end-stage-renal-disease.json --exporter.years_of_history=0
  rm -rf "$HEAVY_DEST"
  copy_bundles heavy "$HEAVY_DEST"
  du -sh "$HEAVY_DEST" >&2
fi
