#!/usr/bin/env bash
# The app's CDS Hooks service driven by the public CDS Hooks Sandbox (cds-hooks/sandbox, patched to list ketamine) in
# headless chromium: patient-view, order-select (Rx View) and order-sign (Rx Sign) with a ketamine order, and the
# card's SMART link launched through the public SMART launcher to the app's verdict page. Not part of ./mvnw verify:
# this runs the Maven profile peer-cds (PeerCdsHooksCheck only).
#
# Usage: scripts/peer-cds-check.sh [PATH/TO/cds-hooks-sandbox.tar.gz] [PATH/TO/cds-hooks-sandbox-ketamine.patch]
#                                  [PATH/TO/smart-launcher-v2.tar.gz] [extra Maven arguments, e.g. -o]
#   Defaults: the team's copies beside the repository, in ../shared/peers/. The sandbox is unpacked, patched and
#   built under target/peer-cds/ (npm ci + npm run build, about 2 minutes on 2 cores), the launcher likewise (about
#   3 minutes); both need node, npm and the npm registry, and are reused while their sources are the same.
# Everything listens on 127.0.0.1 on free ports: a HAPI JPA server with the showcase patients, the SMART launcher in
# front of it (the open, CORS-enabled FHIR server the sandbox needs), the sandbox's static build, the app.
# Logs: target/peer-cds/ (check.log, launcher.log, npm-*.log), failsafe-reports/*PeerCdsHooksCheck*.
set -euo pipefail
cd "$(dirname "$0")/.."
sandbox="${1:-../shared/peers/cds-hooks-sandbox.tar.gz}"
[ $# -gt 0 ] && shift
patch="${1:-../shared/peers/cds-hooks-sandbox-ketamine.patch}"
[ $# -gt 0 ] && shift
launcher="${1:-../shared/peers/smart-launcher-v2.tar.gz}"
[ $# -gt 0 ] && shift
for file in "$sandbox" "$patch" "$launcher"; do
  if [ ! -f "$file" ]; then
    echo "no $file: give the paths of cds-hooks-sandbox.tar.gz, cds-hooks-sandbox-ketamine.patch and" \
      "smart-launcher-v2.tar.gz as the first three arguments" >&2
    exit 2
  fi
done
for tool in node npm patch; do
  command -v "$tool" >/dev/null || { echo "$tool is needed to build the CDS Hooks Sandbox and the SMART launcher" >&2; exit 2; }
done
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
mkdir -p target/peer-cds
set +e
./mvnw -B -f app.pom.xml -Ppeer-cds verify -Dpeer.cds-sandbox="$(absolute "$sandbox")" -Dpeer.cds-patch="$(absolute "$patch")" \
  -Dpeer.launcher="$(absolute "$launcher")" "$@" > target/peer-cds/check.log 2>&1
status=$?
set -e
grep -E "PEER|Tests run:|FAIL|ERROR\]|BUILD" target/peer-cds/check.log || true
echo "full log: target/peer-cds/check.log"
exit $status
