#!/usr/bin/env bash
# Runs every test project against real parts (Docker engine, registry, SQLite, gRPC) and ends with
# one line: "N passed, N failed, N skipped". Installs and starts what the tests need when missing.
# Set HARBOR_REQUIRE_DOCKER=1 to make tests that need Docker fail instead of skip without it.
set -uo pipefail
cd "$(dirname "$0")/.."
. eng/prerequisites.sh

# postfix + sasl2-bin and mosquitto: the email and MQTT notification tests start their own instances on free ports.
# clang + zlib1g-dev: the packaging tests build the agent image, whose agent is compiled with NativeAOT.
# docker-compose: the packaging tests run deploy/compose.yaml.
harbor_install_packages docker.io docker-registry busybox-static apache2-utils prometheus chromium postfix sasl2-bin mosquitto clang zlib1g-dev docker-compose || exit 1
harbor_ensure_docker || [ "${HARBOR_REQUIRE_DOCKER:-0}" != "1" ] || exit 1

configuration="${HARBOR_TEST_CONFIGURATION:-Release}"
results="artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
log="$results/dotnet-test.log"

harbor_log "building ($configuration)"
if ! dotnet build Harbor.sln -c "$configuration" -nologo -clp:ErrorsOnly >"$results/build.log" 2>&1; then
  cat "$results/build.log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

harbor_log "testing"
dotnet test Harbor.sln -c "$configuration" --no-build --nologo \
  --results-directory "$results" --logger "trx" \
  --blame-hang-timeout 10m -- xUnit.DiagnosticMessages=false 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summary lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13, ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  harbor_log "dotnet test exited with $status without a failed test (a crashed or hung test host?)"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
