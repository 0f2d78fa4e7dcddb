#!/usr/bin/env bash
# Copies the screenshots the browser tests took (target/screenshots/, written by ClinicianPageBrowserTest at
# 1024 px wide) into docs/screenshots/ for the README. Run after ./mvnw verify (or -Dtest=ClinicianPageBrowserTest).
# The tests never write to docs/ themselves, so a test run leaves the tree clean.
set -euo pipefail
cd "$(dirname "$0")/.."
src=target/screenshots
if ! ls "$src"/*.png >/dev/null 2>&1; then
  echo "no screenshots in $src: run ./mvnw verify (or ./mvnw test -Dtest=ClinicianPageBrowserTest) first" >&2
  exit 1
fi
mkdir -p docs/screenshots
cp -v "$src"/*.png docs/screenshots/
echo "copied; review with git diff --stat docs/screenshots and commit the ones the README shows"
