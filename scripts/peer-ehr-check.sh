#!/usr/bin/env bash
# EHR launches of every showcase patient through the public SMART launcher (smart-launcher-v2), the reference EHR
# for SMART apps, in headless chromium, to the app's verdict page, and a signing written back through it. Not part
# of ./mvnw verify: this runs the Maven profile peer-ehr (PeerEhrLaunchCheck only).
#
# Usage: scripts/peer-ehr-check.sh [PATH/TO/smart-launcher-v2.tar.gz] [extra Maven arguments, e.g. -o]
#   The tarball is the launcher's source; the team keeps one beside the repository, in
#   ../shared/peers/smart-launcher-v2.tar.gz, which is the default here. It is unpacked and built under
#   target/peer-ehr/ (npm ci + npm run build, about 3 minutes on 2 cores: needs node, npm and the npm registry),
#   and reused while the tarball is the same.
# Everything listens on 127.0.0.1 on free ports: a HAPI JPA server with the showcase patients, the launcher in front
# of it, the app. Logs: target/peer-ehr/ (launcher.log, npm-*.log), failsafe-reports/*PeerEhrLaunchCheck*.
set -euo pipefail
cd "$(dirname "$0")/.."
tarball="${1:-../shared/peers/smart-launcher-v2.tar.gz}"
[ $# -gt 0 ] && shift
if [ ! -f "$tarball" ]; then
  echo "no SMART launcher tarball at $tarball: give the path of smart-launcher-v2.tar.gz as the first argument" >&2
  exit 2
fi
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "$tool is needed to build and run the SMART launcher" >&2; exit 2; }
done
mkdir -p target/peer-ehr
set +e
./mvnw -B -f app.pom.xml -Ppeer-ehr verify -Dpeer.launcher="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")" "$@" \
  > target/peer-ehr/check.log 2>&1
status=$?
set -e
grep -E "PEER|Tests run:|FAIL|ERROR\]|BUILD" target/peer-ehr/check.log || true
echo "full log: target/peer-ehr/check.log"
exit $status
