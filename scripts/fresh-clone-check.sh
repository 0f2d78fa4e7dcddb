#!/usr/bin/env bash
# Proves the project stands alone: clones the committed HEAD into an empty temporary folder (nothing beside it, so
# no ../shared), runs the README's test command there, and fails if the build fails or leaves a tracked file changed.
# Usage: scripts/fresh-clone-check.sh [extra maven args, e.g. -o]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/ketamine-advisor"
cd "$work/ketamine-advisor"
[ -e ../shared ] && { echo "unexpected: $work/shared exists" >&2; exit 1; }
started=$(date +%s)
./mvnw -B -ntp "$@" verify
echo "verify passed in $(( $(date +%s) - started )) s in a clone with nothing beside it ($work)"
changed="$(git status --porcelain)"
if [ -n "$changed" ]; then
  echo "the tests changed or left files in the tree:" >&2
  echo "$changed" >&2
  exit 1
fi
echo "the tree is clean after the tests"
