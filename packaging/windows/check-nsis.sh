#!/usr/bin/env bash
# The Windows installer cannot be built here (no MSVC, no Windows Qt), but its NSIS script can be checked: cpack
# generates it from the same CPack configuration the Windows CI job uses, and makensis compiles it (over this
# build's files as the payload). Exits 77 (ctest: skipped) without makensis (Debian package `nsis`).
set -euo pipefail
BUILD=$(cd "${1:?usage: check-nsis.sh BUILD_DIR}" && pwd)
if ! command -v makensis >/dev/null; then echo "SKIP: makensis (package nsis) is not installed"; exit 77; fi
OUT=$BUILD/packaging-nsis
rm -rf "$OUT"
start=$(date +%s)
(cd "$BUILD" && cpack -G NSIS -B "$OUT" >"$BUILD/packaging-nsis.log" 2>&1) || {
  tail -30 "$BUILD/packaging-nsis.log"; cat "$OUT"/_CPack_Packages/*/NSIS/NSISOutput.log 2>/dev/null | tail -30
  echo "makensis rejected the generated script"; exit 1; }
nsi=$(ls "$OUT"/_CPack_Packages/*/NSIS/project.nsi)
grep -q "RequestExecutionLevel user" "$nsi" || { echo "installer is not per-user"; exit 1; }
grep -q 'LOCALAPPDATA' "$nsi" || { echo "installer does not default to %LOCALAPPDATA%"; exit 1; }
ls -la "$OUT"/*.exe
echo "NSIS script generated and compiled by makensis in $(( $(date +%s) - start )) s"
