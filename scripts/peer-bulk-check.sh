#!/usr/bin/env bash
# `screen --fhir-base` against the SMART Bulk Data reference server (smart-on-fhir/bulk-data-server at 5df455a,
# repackaged to build without GitHub): SMART Backend Services (ES384 and RS384 keys made by `backend-key`, clients
# registered by their JWKS), system, Group and Patient level exports, the server's simulated errors and quirks, and
# the faults a real network adds, through sandbox.FaultProxy in front of it. Not part of ./mvnw verify: this runs the
# Maven profile peer-bulk (PeerBulkDataCheck only). Each scenario prints one line `PEER bulk <name>: ok|FAILED <why>`.
#
# Usage: scripts/peer-bulk-check.sh [PATH/TO/bulk-data-server-peer.tar.gz] [PATH/TO/bulk-data-server-database.r4.db.gz]
#                                   [extra Maven arguments, e.g. -o]
#   Defaults: the team's copies beside the repository, in ../shared/peers/. Give `-` (or `none`) as the database to
#   import the server's bundled data instead (4-12 minutes). The server is unpacked under target/peer-bulk/ and built
#   there (npm ci with sqlite3 compiled from source, npm_config_build_from_source=true and npm_config_nodedir as its
#   BUILD.md says: about 3-4 minutes on 2 cores; needs node 20+, npm, the npm registry, python3, make, g++), and reused
#   while the tarball is the same; the database likewise while the archive is the same.
# The server listens on a free port (BASE_URL http://127.0.0.1:PORT) in a process group of its own, killed at the end.
# Logs: target/peer-bulk/ (check.log, server.log, npm-ci.log), failsafe-reports/*PeerBulkDataCheck*.
#
# Scenarios (docs/integration.md § Against the SMART Bulk Data server says what each proves):
#   quirk-accept-literal, quirk-type-without-data, quirk-typefilter, quirk-rate-limit (the server asked directly);
#   rate-limit-real (its 429 read by screen as an epoch: "again in 300 s"); register-and-token (ES384, RS384);
#   default-scope; system-es384 (+ screen --input OUT/export, assess --input OUT/export); group-rs384; patient-rs384;
#   typefilter-fallback; transient-error; some-files-failed; request-expired-token; kick-off-refused; unknown-group;
#   through FaultProxy: proxy-429-epoch, proxy-503, proxy-cut-download, token-expires-mid-export (dur=1), resume.
# Quirks of the server met: Accept taken literally (a charset → 400); 60 kick-offs or status requests a minute per
#   address, then 429 for 5 min with Retry-After an epoch in MILLISECONDS on the first refusal, in seconds after;
#   a _type or scope naming a type it has no data for (MedicationStatement, Medication) refused (400 / invalid_scope);
#   _typeFilter on a search parameter it lacks (Observation?code=…) accepted, then the export ends silently before
#   Observation and Patient; transient_error = 500 with issue code "transient" and no Retry-After; an unknown Group
#   exported as nothing; token lifetime = min(dur, assertion exp − now).
# Run time: 4-5 min (3 min 48 s to 7 min) with the build reused (two servers ≈ 25 s, the 1-minute-token scenario 75 s), plus 3-4 min
#   for the first build (npm ci compiling sqlite3) and under a second for the database.
# Result on 2026-12-06: 21 scenarios, 20 ok; system-es384 FAILED: assess calls 2 of the 98 patients screen counts as
#   not indicated contraindicated (a contraindication outranks not-indicated in the verdict order).
set -euo pipefail
cd "$(dirname "$0")/.."
tarball="${1:-../shared/peers/bulk-data-server-peer.tar.gz}"
[ $# -gt 0 ] && shift
database="../shared/peers/bulk-data-server-database.r4.db.gz"
if [ $# -gt 0 ] && [[ "$1" != -?* ]]; then
  database="$1"
  shift
fi
if [ ! -f "$tarball" ]; then
  echo "no Bulk Data server tarball at $tarball: give the path of bulk-data-server-peer.tar.gz as the first argument" >&2
  exit 2
fi
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
database_arg=""
case "$database" in
  -|none) echo "no prebuilt database: the server's data will be imported (4-12 minutes)" ;;
  *)
    if [ ! -f "$database" ]; then
      echo "no database at $database: give the path of bulk-data-server-database.r4.db.gz as the second argument," \
        "or - to import the data" >&2
      exit 2
    fi
    database_arg="$(absolute "$database")" ;;
esac
for tool in node npm setsid; do
  command -v "$tool" >/dev/null || { echo "$tool is needed to build and run the Bulk Data server" >&2; exit 2; }
done
mkdir -p target/peer-bulk
started=$(date +%s)
set +e
./mvnw -B -f app.pom.xml -Ppeer-bulk verify -Dpeer.bulk-server="$(absolute "$tarball")" -Dpeer.bulk-database="$database_arg" "$@" \
  > target/peer-bulk/check.log 2>&1
status=$?
set -e
grep -E "PEER|Tests run:|FAIL|ERROR\]|BUILD" target/peer-bulk/check.log || true
echo "took $(( $(date +%s) - started )) s; full log: target/peer-bulk/check.log"
exit $status
