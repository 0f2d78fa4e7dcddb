#!/usr/bin/env bash
# Runs EHR launches of every showcase patient through the public SMART launcher (smart-launcher-v2), the reference
# EHR for SMART apps, to the app's verdict page, and signs one plan. Not part of ./mvnw verify.
#
# Usage: scripts/peer-ehr-check.sh PATH/TO/smart-launcher-v2.tar.gz [--no-build]
#   The tarball is the launcher's source (the team keeps one beside the repository, in shared/peers/); it is
#   unpacked and built under target/peer-ehr/ (npm ci + npm run build: needs node and npm and the npm registry).
#   --no-build skips the front-end build: the launches skip the launcher's login and consent pages, so only its
#   back end is needed.
# Everything listens on 127.0.0.1: the launcher on 8095, the HAPI FHIR server behind it on 8096, the app on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
tarball="${1:?give the path of smart-launcher-v2.tar.gz}"
[ -f "$tarball" ] || { echo "no launcher tarball at $tarball" >&2; exit 2; }
build=yes; [ "${2:-}" = "--no-build" ] && build=no
command -v npm >/dev/null || { echo "node and npm are needed to run the launcher" >&2; exit 2; }

dir=target/peer-ehr/smart-launcher-v2
if [ ! -d "$dir/node_modules" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
fi
if [ "$build" = yes ] && [ ! -d "$dir/build" ]; then
  (cd "$dir" && npm run build)
fi

log=target/peer-ehr/launcher.log
(cd "$dir" && NODE_ENV=production HOST=127.0.0.1 PORT=8095 SECRET=peer-ehr-check \
   FHIR_SERVER_R4=http://127.0.0.1:8096/fhir FHIR_SERVER_R3= FHIR_SERVER_R2= \
   exec node_modules/.bin/ts-node --skipProject --transpile-only backend/index.ts) > "$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null http://127.0.0.1:8095/v/r4/fhir/.well-known/smart-configuration 2>/dev/null && break
  sleep 1
done
echo "SMART launcher up at http://127.0.0.1:8095 (log: $log)"

./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test=PeerEhrLaunchCheck -Dpeer.launcher=http://127.0.0.1:8095 -Dpeer.fhir.port=8096 \
  | tee target/peer-ehr/check.log | grep -E "PEER|Tests run|FAIL|BUILD"
